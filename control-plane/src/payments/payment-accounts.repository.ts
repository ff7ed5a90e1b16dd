import type { PaymentProvider } from '@localstore/common';
import type { DataSource } from 'typeorm';
import type { ProviderSecrets } from './providers/provider-adapter';
import type { SecretSealer } from './secret-sealer';

export interface PaymentAccount<P extends PaymentProvider = PaymentProvider> {
  tenantId: string;
  provider: P;
  merchantCode: string;
  secrets: ProviderSecrets[P];
}

interface AccountRow {
  tenant_id: string;
  provider: PaymentProvider;
  merchant_code: string;
  sealed_secrets: Buffer;
}

/** The associated data a sealed blob is bound to: it opens only on its own row. */
const sealContext = (tenantId: string, provider: string, merchantCode: string) => `${tenantId}/${provider}/${merchantCode}`;

/**
 * Tenants' merchant accounts. Lookups by merchant code sit on every webhook, so opened
 * accounts are remembered briefly in this process (a reconnected account is seen within
 * `CACHE_MS`, at once in the process that connected it).
 */
export class PaymentAccountsRepository {
  private static readonly CACHE_MS = 30_000;
  private readonly byMerchantCache = new Map<string, { account: PaymentAccount | null; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: SecretSealer,
  ) {}

  /** Connects (or replaces) the tenant's account with a provider: when, or null when another tenant holds that merchant code. */
  async connect<P extends PaymentProvider>(account: PaymentAccount<P>, connectedBy: string): Promise<Date | null> {
    const sealed = this.sealer.seal(JSON.stringify(account.secrets), sealContext(account.tenantId, account.provider, account.merchantCode));
    const rows = await this.dataSource
      .query<{ connected_at: Date }[]>(
        `INSERT INTO payment_accounts (tenant_id, provider, merchant_code, sealed_secrets, key_id, connected_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, provider) DO UPDATE
         SET merchant_code = excluded.merchant_code, sealed_secrets = excluded.sealed_secrets, key_id = excluded.key_id,
             connected_by = excluded.connected_by, connected_at = now()
       RETURNING connected_at`,
        [account.tenantId, account.provider, account.merchantCode, sealed, this.sealer.keyId, connectedBy],
      )
      .catch((error: { code?: string; constraint?: string }) => {
        if (error.code === '23505') return [];
        throw error;
      });
    this.byMerchantCache.clear();
    return rows[0]?.connected_at ?? null;
  }

  /** The tenant's connected accounts without their secrets, which are never read for a listing. */
  async listOf(tenantId: string): Promise<{ provider: PaymentProvider; merchantCode: string; connectedAt: Date }[]> {
    return this.dataSource.query(
      `SELECT provider, merchant_code AS "merchantCode", connected_at AS "connectedAt" FROM payment_accounts WHERE tenant_id = $1 ORDER BY provider`,
      [tenantId],
    );
  }

  async byMerchant<P extends PaymentProvider>(provider: P, merchantCode: string): Promise<PaymentAccount<P> | null> {
    const key = `${provider}:${merchantCode}`;
    const cached = this.byMerchantCache.get(key);
    if (cached && Date.now() - cached.at < PaymentAccountsRepository.CACHE_MS) return cached.account as PaymentAccount<P> | null;
    const [row] = await this.dataSource.query<AccountRow[]>(
      'SELECT tenant_id, provider, merchant_code, sealed_secrets FROM payment_accounts WHERE provider = $1 AND merchant_code = $2',
      [provider, merchantCode],
    );
    const account = row ? this.opened<P>(row) : null;
    if (this.byMerchantCache.size > 10_000) this.byMerchantCache.clear();
    this.byMerchantCache.set(key, { account, at: Date.now() });
    return account;
  }

  async ofTenant<P extends PaymentProvider>(tenantId: string, provider: P): Promise<PaymentAccount<P> | null> {
    const [row] = await this.dataSource.query<AccountRow[]>(
      'SELECT tenant_id, provider, merchant_code, sealed_secrets FROM payment_accounts WHERE tenant_id = $1 AND provider = $2',
      [tenantId, provider],
    );
    return row ? this.opened<P>(row) : null;
  }

  private opened<P extends PaymentProvider>(row: AccountRow): PaymentAccount<P> {
    const secrets = JSON.parse(
      this.sealer.open(row.sealed_secrets, sealContext(row.tenant_id, row.provider, row.merchant_code)),
    ) as ProviderSecrets[P];
    return { tenantId: row.tenant_id, provider: row.provider as P, merchantCode: row.merchant_code, secrets };
  }
}
