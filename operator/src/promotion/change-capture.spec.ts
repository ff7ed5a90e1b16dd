import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { migrateCellSchema, inTenantTransaction, CellInputError } from '@localstore/cell-db';
import { APP_URL, OWNER_URL } from '@localstore/common/testing';
import { TENANT_MOVING_SQLSTATE } from '@localstore/cell-db';
import { CAPTURE_TRIGGER, ChangeCapture } from './change-capture';
import { drainWentOnWaiting } from '../../test/drain-watch';

/**
 * Change capture on a real cell schema: the schema owner installs it, the application role
 * (under RLS, with no grant on the move tables) writes through it.
 * Real: PostgreSQL, the cell's migrations, both roles. Stubbed: nothing.
 */
describe("capturing and freezing a moving tenant's writes", () => {
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let owner: Pool;
  let app: Pool;
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  /** Runs `work` in a transaction of `tenantId`, as the cell does for each request. */
  const asTenant = <T>(tenantId: string, work: (client: PoolClient) => Promise<T>, pool = app): Promise<T> =>
    inTenantTransaction(pool, tenantId, work);
  const newLocation = (tenantId: string, name = 'Chi nhánh Quận 1') =>
    asTenant(
      tenantId,
      async (db) =>
        (await db.query<{ id: string }>(`INSERT INTO ${schema}.locations (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenantId, name]))
          .rows[0]!.id,
    );
  const triggersInSchema = async () =>
    Number(
      (
        await owner.query(
          `SELECT count(*) AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND t.tgname = $2`,
          [schema, CAPTURE_TRIGGER],
        )
      ).rows[0].n,
    );
  const loggedTenants = async () =>
    (await owner.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id::text FROM ${schema}.tenant_move_changes`)).rows.map(
      (row) => row.tenant_id,
    );

  beforeAll(async () => {
    await migrateCellSchema({ cellName: 'test-cell', database: { ownerUrl: OWNER_URL, schema } });
    owner = new Pool({ connectionString: OWNER_URL, max: 4 });
    app = new Pool({ connectionString: APP_URL, max: 4 });
    for (const [id, slug] of [
      [tenantA, 'quan-a'],
      [tenantB, 'quan-b'],
    ] as const) {
      await asTenant(
        id,
        (db) =>
          db.query(`INSERT INTO ${schema}.tenants (id, slug, name) VALUES ($1, $2, $3)`, [id, `${slug}-${id.slice(0, 6)}`, `Quán ${slug}`]),
        owner,
      );
    }
  });
  afterAll(async () => {
    await app?.end();
    await owner?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await owner?.end();
  });

  it("logs the keys of the moving tenant's writes and nothing of the others", async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    const from = await capture.position();
    const locationA = await newLocation(tenantA);
    await asTenant(tenantA, (db) => db.query(`UPDATE ${schema}.locations SET name = 'Chi nhánh Quận 3' WHERE id = $1`, [locationA]));
    await newLocation(tenantB);

    const changes = await capture.changesSince(from);
    expect(changes.map((change) => [change.table, change.primaryKey])).toEqual([
      ['locations', { tenant_id: tenantA, id: locationA }],
      ['locations', { tenant_id: tenantA, id: locationA }],
    ]);
    expect(changes[1]!.seq).toBeGreaterThan(changes[0]!.seq);
    expect(await loggedTenants()).not.toContain(tenantB);
    await capture.uninstall();
  });

  it('logs the old and the new key when an update changes a primary key, and deletes', async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    const from = await capture.position();
    const [oldUser, newUser] = [randomUUID(), randomUUID()];
    await asTenant(
      tenantA,
      async (db) => {
        await db.query(`INSERT INTO ${schema}.staff (tenant_id, user_id, role) VALUES ($1, $2, 'staff')`, [tenantA, oldUser]);
        await db.query(`UPDATE ${schema}.staff SET user_id = $2 WHERE user_id = $1`, [oldUser, newUser]);
        await db.query(`DELETE FROM ${schema}.staff WHERE user_id = $1`, [newUser]);
      },
      owner,
    );
    const keys = (await capture.changesSince(from)).map((change) => change.primaryKey.user_id);
    expect(keys).toEqual([oldUser, newUser, oldUser, newUser]);
    await capture.uninstall();
  });

  it('refuses every write of a frozen tenant with LSMOV while other tenants write and everyone reads', async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    const locationA = await newLocation(tenantA);
    await capture.install();
    await capture.freeze();

    const refused = await newLocation(tenantA).catch((error: { code?: string; message: string }) => error);
    expect(refused).toMatchObject({ code: TENANT_MOVING_SQLSTATE, message: expect.stringContaining(`tenant ${tenantA} is moving`) });
    await expect(
      asTenant(tenantA, (db) => db.query(`UPDATE ${schema}.locations SET name = 'Mới' WHERE id = $1`, [locationA])),
    ).rejects.toMatchObject({ code: 'LSMOV' });
    await expect(
      asTenant(tenantA, (db) => db.query(`UPDATE ${schema}.tenants SET name = 'Mới' WHERE id = $1`, [tenantA])),
    ).rejects.toMatchObject({ code: 'LSMOV' });
    await expect(
      asTenant(tenantA, (db) => db.query(`DELETE FROM ${schema}.locations WHERE id = $1`, [locationA]), owner),
    ).rejects.toMatchObject({ code: 'LSMOV' });
    await expect(newLocation(tenantB)).resolves.toEqual(expect.any(String));
    const read = await asTenant(tenantA, (db) => db.query(`SELECT name FROM ${schema}.locations WHERE id = $1`, [locationA]));
    expect(read.rows).toEqual([{ name: 'Chi nhánh Quận 1' }]);

    await capture.unfreeze();
    await expect(newLocation(tenantA)).resolves.toEqual(expect.any(String));
    await capture.uninstall();
  });

  it('freezes only after a transaction of the tenant that began earlier has ended, and logs its write', async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    const from = await capture.position();
    const early = await app.connect();
    let freezing: Promise<void> | undefined;
    let frozen = false;
    let id: string;
    try {
      await early.query('BEGIN');
      await early.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA]);
      const { rows } = await early.query<{ id: string }>(
        `INSERT INTO ${schema}.locations (tenant_id, name) VALUES ($1, 'Chi nhánh muộn') RETURNING id`,
        [tenantA],
      );
      id = rows[0]!.id;

      freezing = capture.freeze().then(() => {
        frozen = true;
      });
      await vi.waitFor(async () => expect((await capture.state()).frozen).toBe(true), { timeout: 10_000 });
      await drainWentOnWaiting(owner);
      expect(frozen).toBe(false);
      await expect(newLocation(tenantA)).rejects.toMatchObject({ code: 'LSMOV' });
      await early.query('COMMIT');
    } finally {
      await early.query('ROLLBACK').catch(() => undefined);
      early.release();
    }
    await freezing;
    expect(frozen).toBe(true);
    expect((await capture.changesSince(from)).map((change) => change.primaryKey.id)).toContain(id);
    await capture.uninstall();
  });

  it('gives a position only once every change numbered up to it has committed', async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    const writer = await app.connect();
    let settled = false;
    let positioning: Promise<bigint> | undefined;
    let taken: bigint;
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantA]);
      await writer.query(`INSERT INTO ${schema}.locations (tenant_id, name) VALUES ($1, 'Chi nhánh chậm')`, [tenantA]);
      const { rows } = await owner.query<{ seq: string }>(`SELECT last_value::text AS seq FROM ${schema}.tenant_move_changes_seq_seq`);
      taken = BigInt(rows[0]!.seq);
      positioning = capture.position().then((position) => {
        settled = true;
        return position;
      });
      await drainWentOnWaiting(owner);
      expect(settled).toBe(false);
      await writer.query('COMMIT');
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
    }
    expect(await positioning).toBeGreaterThanOrEqual(taken);
    await capture.uninstall();
  });

  it('can be installed, frozen, unfrozen and uninstalled again by a restarted operator', async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    await capture.install();
    expect(await triggersInSchema()).toBe(18);
    await capture.freeze();
    await capture.install();
    expect(await capture.state()).toEqual({ moving: true, frozen: true, removing: false, capturedTables: 18 });
    await capture.freeze();
    await capture.unfreeze();
    await capture.unfreeze();
    expect((await capture.state()).frozen).toBe(false);
    await capture.uninstall();
    await capture.uninstall();
    expect(await capture.state()).toEqual({ moving: false, frozen: false, removing: false, capturedTables: 0 });
    await capture.unfreeze();
    expect(await capture.changesSince(0n)).toEqual([]);
  });

  it('keeps the triggers while another tenant moves and leaves none when no tenant does', async () => {
    const captureA = new ChangeCapture(owner, schema, tenantA);
    const captureB = new ChangeCapture(owner, schema, tenantB);
    await captureA.install();
    await captureB.install();
    await captureA.uninstall();
    expect(await triggersInSchema()).toBe(18);
    const from = await captureB.position();
    await newLocation(tenantB);
    expect(await captureB.changesSince(from)).toHaveLength(1);

    await captureB.uninstall();
    expect(await triggersInSchema()).toBe(0);
    const { rows } = await owner.query(`SELECT to_regclass($1) AS moves, to_regclass($2) AS changes, to_regprocedure($3) AS capture`, [
      `${schema}.tenant_moves`,
      `${schema}.tenant_move_changes`,
      `${schema}.tenant_move_capture()`,
    ]);
    expect(rows[0]).toEqual({ moves: null, changes: null, capture: null });
    await expect(newLocation(tenantA)).resolves.toEqual(expect.any(String));
  });

  it("keeps the change log out of the application role's reach", async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    await capture.install();
    await expect(app.query(`SELECT * FROM ${schema}.tenant_move_changes`)).rejects.toMatchObject({ code: '42501' });
    await expect(app.query(`UPDATE ${schema}.tenant_moves SET frozen = false`)).rejects.toMatchObject({ code: '42501' });
    await capture.uninstall();
  });

  it("lets a frozen tenant's rows be deleted once removal is permitted, and nothing else", async () => {
    const capture = new ChangeCapture(owner, schema, tenantA);
    const locationA = await newLocation(tenantA, 'Chi nhánh tạm');
    await capture.install();
    await expect(capture.permitRemoval()).rejects.toThrow('freeze it before removing its rows');
    await capture.freeze();
    expect(await capture.permitRemoval()).toBe(true);
    await asTenant(tenantA, (db) => db.query(`DELETE FROM ${schema}.locations WHERE id = $1`, [locationA]), owner);
    await expect(newLocation(tenantA)).rejects.toMatchObject({ code: 'LSMOV' });
    await capture.uninstall();
  });

  it('refuses a tenant id or a schema name it cannot trust, naming it, before any SQL', async () => {
    const pool = { connect: vi.fn(), query: vi.fn() } as unknown as Pool;
    expect(() => new ChangeCapture(pool, schema, 'not-a-uuid')).toThrow(new CellInputError('tenant id "not-a-uuid" is not a UUID'));
    expect(() => new ChangeCapture(pool, `${schema}"; DROP TABLE x; --`, tenantA)).toThrow(
      /schema ".*DROP TABLE x.*" is not a schema name/,
    );
    expect(() => new ChangeCapture(pool, schema, `${tenantA}'; --`)).toThrow(CellInputError);
    expect(() => new ChangeCapture(pool, schema, tenantA, { drainTimeoutMs: -5 })).toThrow('drainTimeoutMs -5 is not a whole number');
    expect(() => new ChangeCapture(pool, schema, tenantA, { lockTimeoutMs: '1s' as unknown as number })).toThrow(CellInputError);
    const capture = new ChangeCapture(pool, schema, tenantA);
    await expect(capture.changesSince(-1n)).rejects.toThrow(CellInputError);
    await expect(capture.changesSince(5 as unknown as bigint)).rejects.toThrow('change position 5 is not a bigint');
    expect(pool.connect).not.toHaveBeenCalled();
    expect(pool.query).not.toHaveBeenCalled();
  });
});
