import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { ChangeCapture } from '@localstore/operator/testing';
import type { TestMenuItem, TestTenant } from '@localstore/cell-db/testing';
import { LOCATION_DASHBOARD, RECORD_SALE } from '@localstore/cell-api/testing';
import { TestCell } from '@localstore/cell-api/testing';
import { OWNER_URL } from '@localstore/common/testing';
import { en } from '@localstore/cell-api/testing';
import { vi as viMessages } from '@localstore/cell-api/testing';
import { isTenantMovingError } from '@localstore/cell-api/testing';

interface RawAnswer {
  status: number;
  retryAfter: string | null;
  body: { data: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] };
}

/**
 * A cell whose tenant is frozen by the operator's change capture while it moves to its own
 * cell: writes are refused with a retryable 503, reads go on.
 * Real: PostgreSQL (the capture trigger), the cell API over HTTP, JWT/JWKS. Stubbed: nothing.
 */
describe('a tenant moving to another cell', () => {
  let cell: TestCell;
  let owner: Pool;
  let capture: ChangeCapture;
  let tenant: TestTenant;
  let neighbour: TestTenant;
  let locationId: string;
  let pho: TestMenuItem;
  let token: string;

  /** Posts one operation and keeps what the router looks at: status and Retry-After. */
  async function post(
    query: string,
    variables: Record<string, unknown>,
    as: { token: string; slug: string },
    language?: string,
  ): Promise<RawAnswer> {
    const response = await fetch(`${cell.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${as.token}`,
        'x-tenant': as.slug,
        ...(language ? { 'accept-language': language } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as RawAnswer['body'] };
  }
  const saleInput = (id = randomUUID()) => ({
    id,
    locationId,
    items: [{ itemId: pho.id, quantity: 1 }],
    channel: 'TAKEAWAY',
    paymentMethod: 'CASH',
  });
  const orderCount = async () => (await cell.ownerQuery<{ n: number }>(tenant.id, 'SELECT count(*)::int AS n FROM orders'))[0]!.n;

  beforeAll(async () => {
    cell = await TestCell.start();
    tenant = await cell.factories.newTenant('pho-dang-chuyen');
    neighbour = await cell.factories.newTenant('pho-ben-canh');
    locationId = await cell.factories.newLocation(tenant);
    pho = await cell.factories.newMenuItem(tenant, { name: 'Phở bò tái', price: 55_000 });
    token = await cell.token({ tid: tenant.id });
    owner = new Pool({ connectionString: OWNER_URL, max: 2 });
    capture = new ChangeCapture(owner, cell.config.database.schema, tenant.id);
    await capture.install();
    await capture.freeze();
  });
  afterAll(async () => {
    await capture?.uninstall();
    await owner?.end();
    await cell?.stop();
  });

  it('refuses a sale with 503, Retry-After: 1 and the reason, in Vietnamese, and writes nothing', async () => {
    const answer = await post(RECORD_SALE, { input: saleInput() }, { token, slug: tenant.slug });
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('1');
    expect(answer.body).not.toHaveProperty('data');
    expect(answer.body.errors).toEqual([
      {
        message: viMessages.TENANT_MOVING,
        path: ['recordSale'],
        extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'TENANT_MOVING', retryAfterSeconds: 1 },
      },
    ]);
    expect(JSON.stringify(answer.body)).not.toMatch(/LSMOV|trigger|tenant_move|INSERT/);
    expect(await orderCount()).toBe(0);
  });

  it('says so in English when the client asks for English', async () => {
    const answer = await post(RECORD_SALE, { input: saleInput() }, { token, slug: tenant.slug }, 'en-US,en;q=0.9');
    expect(answer.status).toBe(503);
    expect(answer.body.errors?.[0]?.message).toBe(en.TENANT_MOVING);
  });

  it('still answers reads', async () => {
    const answer = await post(LOCATION_DASHBOARD, { id: locationId }, { token, slug: tenant.slug });
    expect(answer.status).toBe(200);
    expect(answer.retryAfter).toBeNull();
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ location: { id: locationId, todayOrders: 0 } });
  });

  it('lets the other tenants of the cell write', async () => {
    const otherLocation = await cell.factories.newLocation(neighbour);
    const otherItem = await cell.factories.newMenuItem(neighbour);
    const answer = await post(
      RECORD_SALE,
      { input: { ...saleInput(), locationId: otherLocation, items: [{ itemId: otherItem.id, quantity: 1 }] } },
      { token: await cell.token({ tid: neighbour.id }), slug: neighbour.slug },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it('takes the retried sale once the move has finished', async () => {
    const input = saleInput();
    expect((await post(RECORD_SALE, { input }, { token, slug: tenant.slug })).status).toBe(503);
    await capture.unfreeze();
    const retried = await post(RECORD_SALE, { input }, { token, slug: tenant.slug });
    expect(retried.status).toBe(200);
    expect(retried.body.errors).toBeUndefined();
    expect(await orderCount()).toBe(1);
    await capture.freeze();
  });

  it('recognises the refusal however it is wrapped, and nothing else', () => {
    const refusal = Object.assign(new Error('tenant is moving'), { code: 'LSMOV' });
    expect(isTenantMovingError(refusal)).toBe(true);
    expect(isTenantMovingError({ driverError: refusal })).toBe(true);
    expect(isTenantMovingError(new Error('wrapped', { cause: { originalError: refusal } }))).toBe(true);
    expect(isTenantMovingError(Object.assign(new Error('duplicate'), { code: '23505' }))).toBe(false);
    expect(isTenantMovingError('LSMOV')).toBe(false);
    expect(isTenantMovingError(null)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isTenantMovingError(loop)).toBe(false);
  });
});
