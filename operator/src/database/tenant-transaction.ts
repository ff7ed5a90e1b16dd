import type { Pool, PoolClient } from 'pg';
import { assertTenantId } from '../promotion/tenant-tables';

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

/**
 * A transaction that sees exactly one tenant's rows, as the schema owner: row-level security
 * is forced on the owner too, so `app.tenant_id` must be set. Read committed by default, or
 * repeatable read on its own snapshot (`'own'`) or on one exported by another transaction.
 * BEGIN, the snapshot and the tenant travel in one round trip (the id is checked to be a
 * UUID and the snapshot id its format, so both can be spliced). A connection whose ROLLBACK
 * failed is discarded, not returned to the pool.
 */
export async function inTenantTransaction<T>(pool: Pool, tenantId: string, work: (client: PoolClient) => Promise<T>, snapshot?: string): Promise<T> {
  const id = assertTenantId(tenantId);
  if (snapshot !== undefined && snapshot !== 'own' && !SNAPSHOT_ID.test(snapshot)) throw new Error(`"${snapshot}" is not an exported snapshot id`);
  const client = await pool.connect();
  let broken = false;
  try {
    const begin =
      snapshot === undefined
        ? 'BEGIN'
        : snapshot === 'own'
          ? 'BEGIN ISOLATION LEVEL REPEATABLE READ'
          : `BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '${snapshot}'`;
    await client.query(`${begin}; SELECT set_config('app.tenant_id', '${id}', true)`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
