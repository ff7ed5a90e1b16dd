// The run's tenant: registered in the run's directory schema with a route to the run's cell and
// a VNPay terminal of its own, then provisioned on both cells with one location and one dish.
import { controlPlaneConfig, controlPlaneDirectory, controlPlanePaymentAccounts, controlPlaneSecretSealer } from '../lib/compiled';
import { HttpClient, must } from '../lib/http-client';
import { BenchError } from '../lib/output';
import type { TokenSigner } from './tokens';

const CREATE_LOCATION = `mutation BenchLocation($input: CreateLocationInput!) { createLocation(input: $input) { id } }`;
const UPSERT_CATEGORY = `mutation BenchCategory($input: UpsertMenuCategoryInput!) { upsertMenuCategory(input: $input) { id } }`;
const UPSERT_ITEM = `mutation BenchItem($input: UpsertMenuItemInput!) { upsertMenuItem(input: $input) { id price } }`;

export interface BenchTenant {
  id: string;
  slug: string;
  name: string;
  ownerUserId: string;
}

/** The tenant's VNPay terminal, as VNPay (played by the bench) and the control plane both know it. */
export interface VnpayMerchant {
  tmnCode: string;
  hashSecret: string;
}

/** What the tenant sells: the location the screens watch and its one dish. */
export interface Shop {
  locationId: string;
  item: { id: string; price: number };
}

/**
 * The directory of the run: its cell, the tenant with a route to it, and the tenant's VNPay
 * terminal, sealed and written by the control plane's own repository with the key the
 * control plane is started with (what `connectPaymentProvider` does for an owner).
 */
export async function registerInDirectory({
  cpEnv,
  credentialsKey,
  cellName,
  directorySchema,
  tenant,
  merchant,
  cellUrl,
}: {
  cpEnv: NodeJS.ProcessEnv;
  credentialsKey: Buffer;
  cellName: string;
  directorySchema: string;
  tenant: BenchTenant;
  merchant: VnpayMerchant;
  cellUrl: string;
}): Promise<void> {
  const { createDirectoryDataSource, migrateDirectory } = controlPlaneDirectory();
  const { PaymentAccountsRepository } = controlPlanePaymentAccounts();
  const { SecretSealer } = controlPlaneSecretSealer();
  const config = controlPlaneConfig().loadControlPlaneConfig(cpEnv);
  await migrateDirectory(config);
  const owner = createDirectoryDataSource(config, 'owner');
  await owner.initialize();
  try {
    await owner.query(
      `INSERT INTO cells (name, mode, endpoint) VALUES ($1, 'pooled', $2) ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint`,
      [cellName, cellUrl],
    );
    await owner.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [tenant.id, tenant.slug, tenant.name]);
    await owner.query(`INSERT INTO routes (tenant_id, cell_name, state) VALUES ($1, $2, 'active')`, [tenant.id, cellName]);
    const accounts = new PaymentAccountsRepository(owner, new SecretSealer(credentialsKey));
    const connected = await accounts.connect(
      { tenantId: tenant.id, provider: 'vnpay', merchantCode: merchant.tmnCode, secrets: { hashSecret: merchant.hashSecret } },
      tenant.ownerUserId,
    );
    if (!connected) throw new BenchError(`the VNPay terminal ${merchant.tmnCode} is held by another tenant of ${directorySchema}`);
  } finally {
    await owner.destroy();
  }
}

/**
 * The tenant in the cell schema through the cells' provisioning endpoint (as the control
 * plane does at signup; on both, so both start consuming its payments at once), then, as its
 * owner, one location and one dish.
 */
export async function provisionTenant({
  ports,
  signer,
  tenant,
  graphql,
}: {
  ports: number[];
  signer: TokenSigner;
  tenant: BenchTenant;
  graphql: HttpClient;
}): Promise<Shop> {
  const serviceToken = await signer.sign({ scope: 'cell:provision' }, 'control-plane');
  for (const port of ports) {
    const internal = new HttpClient(port, { headers: { authorization: `Bearer ${serviceToken}` } });
    try {
      const { status, body } = await internal.request('PUT', `/internal/tenants/${tenant.id}`, {
        slug: tenant.slug,
        name: tenant.name,
        plan: 'pooled',
      });
      if (status !== 200)
        throw new BenchError(`provisioning ${tenant.slug} on the cell at :${port} answered ${status} ${JSON.stringify(body)}`);
    } finally {
      internal.close();
    }
  }
  const locationId: string = must(
    await graphql.gql(CREATE_LOCATION, { input: { name: 'Điểm bán thời gian thực 1' } }),
    'creating the location',
  ).createLocation.id;
  const categoryId: string = must(await graphql.gql(UPSERT_CATEGORY, { input: { name: 'Món thử tải' } }), 'creating the menu category')
    .upsertMenuCategory.id;
  const item: Shop['item'] = must(
    await graphql.gql(UPSERT_ITEM, { input: { categoryId, name: 'Phở bò tái', price: 65_000, sortOrder: 0 } }),
    'adding the dish',
  ).upsertMenuItem;
  return { locationId, item };
}
