import pino from 'pino';
import { DataSource } from 'typeorm';
import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';
import { type TenantDb, TenantTransaction, withTenantTransaction } from '@localstore/cell-db';
import { EventBus } from './event-bus';
import { UnitOfWork } from './unit-of-work';

/**
 * Events published through the unit of work, against real tenant transactions. Real:
 * Postgres (the application role under RLS), the event bus. Stubbed: nothing.
 */
describe('UnitOfWork', () => {
  let cell: TestCell;
  let dataSource: DataSource;
  let tenant: TestTenant;
  let bus: EventBus;
  let sut: UnitOfWork;
  let heard: { tenantId: string; anomalyId: string; committed: boolean }[];
  let logged: Record<string, unknown>[];

  const anomaly = (anomalyId: string) => ({
    anomalyId,
    locationId: anomalyId,
    kind: 'test',
    severity: 'info' as const,
    reason: 'TEST',
    detectedAt: new Date().toISOString(),
  });
  /** Writes a location named `name` and publishes an event about it, in `db`'s transaction. */
  const work = async (db: TenantDb, name: string) => {
    await db.query('INSERT INTO locations (tenant_id, name, timezone) VALUES ($1, $2, $3)', [db.tenantId, name, 'Asia/Ho_Chi_Minh']);
    sut.publish(db, 'anomaly.detected', anomaly(name));
  };
  const stored = async (name: string) => (await cell.ownerQuery(tenant.id, 'SELECT 1 FROM locations WHERE name = $1', [name])).length > 0;

  beforeAll(async () => {
    cell = await TestCell.start();
    dataSource = cell.running.app.get(DataSource);
    tenant = await cell.factories.newTenant();
  });
  afterAll(async () => {
    await cell?.stop();
  });
  beforeEach(() => {
    logged = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
    bus = new EventBus(logger);
    sut = new UnitOfWork(bus, logger);
    heard = [];
    // What the subscriber sees from another connection tells whether the COMMIT came first.
    bus.subscribe(
      'anomaly.detected',
      async (tenantId, payload) => void heard.push({ tenantId, anomalyId: payload.anomalyId, committed: await stored(payload.anomalyId) }),
      { label: 'test' },
    );
  });

  it('publishes an event once its transaction has committed, and not before', async () => {
    const tx = new TenantTransaction(dataSource, tenant.id);
    await work(tx, 'committed-1');
    expect(heard).toEqual([]);
    await tx.finish(true);
    expect(heard).toEqual([{ tenantId: tenant.id, anomalyId: 'committed-1', committed: true }]);
  });

  it('publishes nothing for a transaction that rolls back, where the same work committed does', async () => {
    const rolledBack = new TenantTransaction(dataSource, tenant.id);
    await work(rolledBack, 'rolled-back');
    await rolledBack.finish(false);
    await expect(
      withTenantTransaction(dataSource, tenant.id, async (db) => {
        await work(db, 'failed-job');
        throw new Error('the job failed after its writes');
      }),
    ).rejects.toThrow('the job failed');
    await withTenantTransaction(dataSource, tenant.id, (db) => work(db, 'committed-2'));
    expect(heard.map((event) => event.anomalyId)).toEqual(['committed-2']);
    expect(await stored('rolled-back')).toBe(false);
    expect(await stored('failed-job')).toBe(false);
  });

  it('runs the after-commit steps in the order registered, each finished before the next', async () => {
    const steps: string[] = [];
    bus.subscribe('anomaly.detected', () => void steps.push('event'), { label: 'steps' });
    await withTenantTransaction(dataSource, tenant.id, async (db) => {
      sut.afterCommit(db, async () => {
        steps.push('cache starts');
        await new Promise<void>((resolve) => setImmediate(resolve));
        steps.push('cache ends');
      });
      await work(db, 'ordered');
      sut.afterCommit(db, () => void steps.push('push'));
    });
    expect(steps).toEqual(['cache starts', 'cache ends', 'event', 'push']);
  });

  it('logs a failing after-commit step and still runs the ones after it', async () => {
    await withTenantTransaction(dataSource, tenant.id, async (db) => {
      sut.afterCommit(db, () => Promise.reject(new Error('cache down')));
      await work(db, 'after-a-failure');
    });
    expect(heard.map((event) => event.anomalyId)).toEqual(['after-a-failure']);
    expect(logged).toMatchObject([{ msg: 'an after-commit step failed', tenant_id: tenant.id, err: { message: 'cache down' } }]);
  });
});
