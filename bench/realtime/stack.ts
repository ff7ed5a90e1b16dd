// The stack the phase starts and measures: two compiled cell processes on one schema of the
// run's own (Socket.IO, the Redis adapter between them under the run's key prefix), the
// compiled control plane on a directory schema of the run's own, both on NATS under the run's
// namespace; the tenant provisioned, its owner's GraphQL clients, and the ingress client VNPay
// (played by the bench) calls. Every step pushes its undo.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as connectNats } from '@nats-io/transport-node';
import { migrateCellSchema } from '@localstore/cell-db';
import { paymentsBus } from '@localstore/common';
import { deletePaymentsStream, freePort } from '@localstore/common/testing';
import { CELL_MAIN, CompiledServer, CONTROL_PLANE_MAIN, REPO_ROOT } from '@localstore/flows/harness/compiled-servers';
import Redis from 'ioredis';
import pg from 'pg';
import type { UndoList } from '../lib/cleanup';
import { cellConfig } from '../lib/compiled';
import { HttpClient, type GraphQLResult } from '../lib/http-client';
import { BenchError, log } from '../lib/output';
import type { RealtimeSettings } from './settings';
import { provisionTenant, registerInDirectory, type BenchTenant, type Shop, type VnpayMerchant } from './tenant';
import { tokenSigner } from './tokens';

const LOCAL_DIR = process.env.LOCALSTORE_LOCAL_DIR || join(REPO_ROOT, '.local');

const RECORD_SALE = `mutation RecordSale($input: RecordSaleInput!) { recordSale(input: $input) { id total } }`;

/** The names of everything the run makes, so that nothing of a demo's or a test's is touched. */
export function runNames(run: string) {
  return {
    cellSchema: `bench_rt_${run}_cell`,
    directorySchema: `bench_rt_${run}_directory`,
    redisKeyPrefix: `bench-rt-${run}:`,
    cellName: `bench-rt-${run}`,
    // The cells' and the control plane's names on NATS (NATS_NAMESPACE): a payments stream
    // and a checkout subject of the run's own, so that a demo or a test on the same server
    // never answers the bench's checkouts, nor the bench theirs.
    natsNamespace: `bench-rt-${run}`,
    floorStream: `BENCH_RT_${run.toUpperCase()}_FLOOR`,
    floorSubject: `bench-rt-${run}.floor`,
  };
}
export type RunNames = ReturnType<typeof runNames>;

/** A sale of the one dish on one cell, ready to send: its id is known before it is recorded. */
export type SaleOn = (cell: number, paymentMethod: 'CASH' | 'VNPAY') => { id: string; send: () => Promise<GraphQLResult<any>> };

export interface RealtimeStack {
  tenant: BenchTenant;
  merchant: VnpayMerchant;
  paymentsStream: string;
  ports: number[];
  /** The processes whose CPU the series watch. */
  parties: Record<string, number | undefined>;
  controlPlane: CompiledServer;
  cells: CompiledServer[];
  cpPort: number;
  /** The control plane's ingress, as VNPay calls it. */
  ingress: HttpClient;
  /** The owner's GraphQL, one client per cell. */
  graphql: HttpClient[];
  signer: Awaited<ReturnType<typeof tokenSigner>>;
  shop: Shop;
  sale: SaleOn;
}

/** A compiled server of the repo with `env` on top of ours, minus `unset`. */
function startServer(name: string, main: string, env: NodeJS.ProcessEnv, unset: string[]): CompiledServer {
  const childEnv = { ...process.env, ...env };
  for (const key of unset) delete childEnv[key];
  return new CompiledServer({ name, args: [main], env: childEnv });
}

async function waitReady(server: CompiledServer, port: number): Promise<void> {
  await server.waitReady(port).catch((error: Error) => {
    throw new BenchError(error.message);
  });
}

/** Migrates the run's schemas, starts the control plane and the two cells, and provisions the tenant. */
export async function startStack(settings: RealtimeSettings, run: string, names: RunNames, undo: UndoList): Promise<RealtimeStack> {
  const tenant: BenchTenant = {
    id: randomUUID(),
    slug: `bench-rt-${run}`,
    name: `Quán thử tải thời gian thực (bench ${run})`,
    ownerUserId: randomUUID(),
  };
  // A terminal of the run's own: the ingress deduplicates on provider, merchant and transaction.
  const merchant = { tmnCode: `BRT${run.toUpperCase()}`, hashSecret: randomBytes(16).toString('hex').toUpperCase() };
  const { natsUrl } = settings;
  if (typeof paymentsBus !== 'function') throw new BenchError('common/dist has no paymentsBus (NATS_NAMESPACE): run `make build`');
  const bus = paymentsBus(names.natsNamespace);

  const signer = await tokenSigner(undo);
  const cellEnv = {
    LOG_LEVEL: 'warn',
    DATABASE_URL: settings.databaseUrl,
    DATABASE_OWNER_URL: settings.ownerUrl,
    DATABASE_SCHEMA: names.cellSchema,
    AUTH_JWKS_FILE: signer.jwksFile,
    AUTH_ISSUER: signer.issuer,
    AUTH_AUDIENCE: signer.audience,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: names.redisKeyPrefix,
    NATS_URL: natsUrl,
    NATS_NAMESPACE: names.natsNamespace,
  };
  const [cpPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  const credentialsKey = randomBytes(32);
  const cpEnv = {
    CONTROL_PLANE_PORT: String(cpPort),
    CONTROL_PLANE_HOST: '127.0.0.1',
    PLATFORM_DOMAIN: 'localhost',
    DIRECTORY_DATABASE_URL: settings.directoryUrl,
    DIRECTORY_OWNER_URL: settings.directoryOwnerUrl,
    DIRECTORY_SCHEMA: names.directorySchema,
    POOLED_CELL_NAME: names.cellName,
    POOLED_CELL_URL: `http://127.0.0.1:${portA}`,
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'log',
    NATS_URL: natsUrl,
    NATS_NAMESPACE: names.natsNamespace,
    PAYMENT_CREDENTIALS_KEY: credentialsKey.toString('base64'),
    PAYMENT_WEBHOOK_BASE_URL: `http://127.0.0.1:${cpPort}`,
    // The bench's payments are all notified within minutes: nothing to ask VNPay about.
    PAYMENT_RECONCILE_AFTER_SECONDS: '86400',
    PAYMENT_RECONCILE_INTERVAL_SECONDS: '3600',
  };

  log(`schemas: migrating ${names.cellSchema} (cell) and ${names.directorySchema} (directory)…`);
  undo.push(`dropping schema ${names.cellSchema}`, () => dropSchema(settings.ownerUrl, names.cellSchema));
  await migrateCellSchema(cellConfig().loadCellConfig(cellEnv));
  undo.push(`dropping schema ${names.directorySchema}`, () => dropSchema(settings.directoryOwnerUrl, names.directorySchema));
  await registerInDirectory({
    cpEnv,
    credentialsKey,
    cellName: names.cellName,
    directorySchema: names.directorySchema,
    tenant,
    merchant,
    cellUrl: cpEnv.POOLED_CELL_URL,
  });
  // After the cells are gone (undone before this), so that none of them makes them again.
  undo.push(`deleting the stream ${bus.stream}`, () => deletePaymentsStream(names.natsNamespace, natsUrl));
  undo.push(`deleting the Redis keys ${names.redisKeyPrefix}*`, () => deleteRedisKeys(settings.redisUrl, names.redisKeyPrefix));

  const controlPlane = startServer('control-plane', CONTROL_PLANE_MAIN, { ...cpEnv }, ['REDIS_URL', 'REDIS_KEY_PREFIX']);
  undo.push('stopping the control plane', () => controlPlane.stop());
  const ports = [portA, portB];
  const cells = ports.map((port, i) =>
    startServer(
      `cell-${'ab'[i]}`,
      CELL_MAIN,
      { ...cellEnv, CELL_NAME: `${names.cellName}-${'ab'[i]}`, PORT: String(port), HOST: '127.0.0.1' },
      ['AUTH_JWKS_URL'],
    ),
  );
  for (const cell of cells) undo.push(`stopping the ${cell.name}`, () => cell.stop());
  const ingress = new HttpClient(cpPort, { headers: { host: 'app.localhost' }, maxSockets: settings.senders });
  undo.push('closing the ingress client', () => ingress.close());
  await waitReady(controlPlane, cpPort);
  for (const [i, cell] of cells.entries()) await waitReady(cell, ports[i]!);
  await checkNamespaceServed(natsUrl, bus.checkoutSubject);
  log(
    `control plane pid ${controlPlane.pid} on 127.0.0.1:${cpPort}; cells pid ${cells[0]!.pid} on :${portA} and ${cells[1]!.pid} on :${portB}, schema ${names.cellSchema}, Redis prefix ${names.redisKeyPrefix}`,
  );

  const ownerToken = await signer.sign({ tid: tenant.id, role: 'owner', locs: '*' }, tenant.ownerUserId);
  const graphql = ports.map(
    (port) =>
      new HttpClient(port, { headers: { authorization: `Bearer ${ownerToken}`, 'x-tenant': tenant.slug }, maxSockets: settings.senders }),
  );
  for (const client of graphql) undo.push('closing a GraphQL client', () => client.close());
  const shop = await provisionTenant({ ports, signer, tenant, graphql: graphql[0]! });
  const sale: SaleOn = (cell, paymentMethod) => {
    const id = randomUUID();
    return {
      id,
      send: () =>
        graphql[cell]!.gql(RECORD_SALE, {
          input: {
            id,
            locationId: shop.locationId,
            items: [{ itemId: shop.item.id, quantity: 1, modifiers: [] }],
            channel: 'DINE_IN',
            paymentMethod,
            discount: 0,
          },
        }),
    };
  };
  const parties = { cellA: cells[0]!.pid, cellB: cells[1]!.pid, controlPlane: controlPlane.pid, ...sharedServerPids() };
  return {
    tenant,
    merchant,
    paymentsStream: bus.stream,
    ports,
    parties,
    controlPlane,
    cells,
    cpPort,
    ingress,
    graphql,
    signer,
    shop,
    sale,
  };
}

/** CPU of the shared Redis and NATS servers, from the pid files `scripts/services.sh` writes. */
function sharedServerPids(): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const [name, file] of [
    ['redis', 'redis/redis.pid'],
    ['nats', 'nats/nats.pid'],
  ] as const) {
    try {
      const pid = Number(readFileSync(join(LOCAL_DIR, file), 'utf8').trim());
      if (Number.isInteger(pid) && existsSync(`/proc/${pid}/stat`)) pids[name] = pid;
    } catch {
      // Not started by services.sh: its share shows up as "other".
    }
  }
  return pids;
}

/** What the cells keep in Redis under the run's prefix (the live journal, cache versions, queues). */
async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function dropSchema(ownerUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'localstore-bench:realtime' });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Our control plane must answer checkouts on the run's subject: a build that ignores
 * NATS_NAMESPACE would serve, and ask on, the shared names, beside a demo's or a test's.
 */
async function checkNamespaceServed(natsUrl: string, checkoutSubject: string): Promise<void> {
  const connection = await connectToNats(natsUrl);
  try {
    // An empty request: the control plane answers INVALID_REQUEST, and nothing is written.
    await connection.request(checkoutSubject, '{}', { timeout: 5_000 });
  } catch (error) {
    throw new BenchError(
      `the control plane does not answer ${checkoutSubject} (${(error as Error).message}): its build ignores NATS_NAMESPACE? run \`make build\``,
    );
  } finally {
    await connection.close();
  }
}

/** A connection to the shared NATS server, or a BenchError that says to start it. */
export function connectToNats(natsUrl: string): ReturnType<typeof connectNats> {
  return connectNats({ servers: natsUrl, name: 'localstore-bench:realtime', timeout: 5_000 }).catch((error: Error) => {
    throw new BenchError(`NATS at ${natsUrl} is not reachable (${error.message}): run \`scripts/services.sh up nats\``);
  });
}
