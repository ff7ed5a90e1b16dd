import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { TestTenant } from '@localstore/cell-db/testing';
import { ORDERS, RECORD_SALE } from '../operations';
import { TestCell } from '../test-cell';

/**
 * What a client sees when things go wrong, the limits on what it may ask, and what the
 * cell tells operators (health, readiness, metrics, logs). Stubbed: nothing.
 */
describe('errors, limits and operability', () => {
  let cell: TestCell;
  let tenant: TestTenant;
  let token: string;
  let locationId: string;
  const logLines: Record<string, unknown>[] = [];
  const call = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    cell.gql(query, variables, { token, tenant: tenant.slug, headers });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: 'info', base: { cell: 'test-cell' } }, sink);
    cell = await TestCell.start({ GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_COMPLEXITY: '400' }, { logger });
    tenant = await cell.factories.newTenant('loi-test');
    locationId = await cell.factories.newLocation(tenant);
    token = await cell.token({ tid: tenant.id });
  });
  afterAll(() => cell?.stop());

  it('masks an internal failure: no SQL, table name or stack reaches the client, and the log has it', async () => {
    const schema = cell.config.database.schema;
    await cell.owner.query(`REVOKE SELECT ON "${schema}".menu_categories FROM localstore_cell_app`);
    try {
      const { data, errors } = await call('query Broken { menuCategories { name } }', {}, { 'x-request-id': 'req-internal-1' });
      expect(data).toBeNull();
      expect(errors).toEqual([
        {
          message: 'Đã xảy ra lỗi máy chủ. Vui lòng thử lại sau.',
          path: ['menuCategories'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      const logged = logLines.find((line) => line.request_id === 'req-internal-1' && line.level === 50);
      expect(logged).toMatchObject({ cell: 'test-cell', tenant_id: tenant.id, msg: 'unexpected error while resolving' });
      expect(JSON.stringify(logged)).toMatch(/permission denied/);
    } finally {
      await cell.owner.query(`GRANT SELECT ON "${schema}".menu_categories TO localstore_cell_app`);
    }
  });

  it('speaks English to a client that asks for it', async () => {
    const { errors } = await call(
      RECORD_SALE,
      { input: { id: randomUUID(), locationId, items: [] } },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(errors![0]).toMatchObject({
      message: 'Field "input.items" is invalid: must have at least 1 entries.',
      extensions: { field: 'input.items' },
    });
    const vi = await call(RECORD_SALE, { input: { id: randomUUID(), locationId, items: [] } });
    expect(vi.errors![0]!.message).toBe('Giá trị của trường "input.items" không hợp lệ: phải có ít nhất 1 phần tử.');
  });

  it('refuses queries nested deeper than the limit', async () => {
    const { data, errors } = await call(
      'query Deep($id: ID!) { orders(locationId: $id, first: 1) { edges { node { items { modifiers { name } } } } } }',
      { id: locationId },
    );
    expect(data ?? null).toBeNull();
    expect(errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'QUERY_TOO_DEEP' });
    expect(errors![0]!.message).toBe('Truy vấn lồng quá sâu (tối đa 5 cấp).');
  });

  it('refuses queries whose cost is over the limit before touching the database', async () => {
    const before = await cell.dbQueryCount();
    const { errors } = await call(ORDERS, { locationId, first: 100 });
    expect(await cell.dbQueryCount()).toBe(before);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
  });

  it('answers malformed requests with a client error, not a crash', async () => {
    const syntax = await call('{ locations { id ');
    expect(syntax.errors![0]!.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await call('{ locations { id password } }');
    expect(unknownField.errors![0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const huge = await fetch(`${cell.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-tenant': tenant.slug },
      body: JSON.stringify({ query: `{ locations { id } }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
    const notJson = await fetch(`${cell.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(notJson.status).toBe(400);
  });

  it('reports health, readiness and metrics', async () => {
    expect((await fetch(`${cell.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${cell.url}/readyz`)).json()).toEqual({ status: 'ready' });
    await call('query DashboardProbe { locations { id } }');
    // A caller's mistake is "rejected", not "error": the availability SLO counts only ours.
    await call('query BadProbe($id: ID!) { location(id: $id) { id } }', { id: 'not-a-uuid' });
    const metrics = await (await fetch(`${cell.url}/metrics`)).text();
    expect(metrics).toMatch(/cell_graphql_request_duration_seconds_bucket\{[^}]*operation="DashboardProbe"[^}]*type="query"/);
    expect(metrics).toMatch(/cell_graphql_request_duration_seconds_count\{[^}]*operation="DashboardProbe"[^}]*outcome="ok"[^}]*\} 1/);
    expect(metrics).toMatch(/cell_graphql_request_duration_seconds_count\{[^}]*operation="BadProbe"[^}]*outcome="rejected"[^}]*\} 1/);
    expect(metrics).not.toMatch(/operation="BadProbe"[^}]*outcome="error"/);
    expect(metrics).toMatch(/cell_db_pool_connections\{cell="test-cell"\} \d+/);
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);
    expect(metrics).not.toMatch(/operation="[^"]*-[^"]*"/);
  });

  it('stops saying ready when a migration is missing', async () => {
    const schema = cell.config.database.schema;
    const [row] = await cell.owner.query(`SELECT * FROM "${schema}".schema_migrations ORDER BY id DESC LIMIT 1`);
    await cell.owner.query(`DELETE FROM "${schema}".schema_migrations WHERE id = $1`, [row.id]);
    try {
      const response = await fetch(`${cell.url}/readyz`);
      expect(response.status).toBe(503);
    } finally {
      await cell.owner.query(`INSERT INTO "${schema}".schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [
        row.id,
        row.timestamp,
        row.name,
      ]);
    }
    expect((await fetch(`${cell.url}/readyz`)).status).toBe(200);
  });
});
