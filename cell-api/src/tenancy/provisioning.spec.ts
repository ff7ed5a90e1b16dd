import { randomUUID } from 'node:crypto';
import { TestCell } from '../../test/test-cell';

/** The control plane's internal door: service tokens only, hostile bodies refused. Stubbed: nothing. */
describe('tenant provisioning endpoint', () => {
  let cell: TestCell;
  beforeAll(async () => {
    cell = await TestCell.start();
  });
  afterAll(() => cell?.stop());

  const put = (id: string, body: unknown, token?: string) =>
    fetch(`${cell.url}/internal/tenants/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('creates the tenant row idempotently for the control plane', async () => {
    const id = randomUUID();
    const token = await cell.issuer.signService('cell:provision');
    for (let i = 0; i < 2; i++) expect((await put(id, { slug: 'quan-moi', name: 'Quán Mới', plan: 'pooled' }, token)).status).toBe(200);
    const rows = await cell.ownerQuery(id, 'SELECT slug, name, plan, status FROM tenants');
    expect(rows).toEqual([{ slug: 'quan-moi', name: 'Quán Mới', plan: 'pooled', status: 'active' }]);
    const removed = await fetch(`${cell.url}/internal/tenants/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(removed.status).toBe(204);
    expect(await cell.ownerQuery(id, 'SELECT id FROM tenants')).toEqual([]);
  });

  it('refuses user tokens, other scopes and no token', async () => {
    const id = randomUUID();
    const body = { slug: 'lau', name: 'Lậu', plan: 'pooled' };
    const owner = await cell.token({ tid: id });
    for (const token of [undefined, owner, await cell.issuer.signService('something:else')]) {
      const answer = await put(id, body, token);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await answer.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID', field: 'authorization' });
    }
    expect(await cell.ownerQuery(id, 'SELECT id FROM tenants')).toEqual([]);
  });

  it('refuses bodies that are not a tenant, naming the field', async () => {
    const token = await cell.issuer.signService('cell:provision');
    for (const [id, body, field] of [
      ['not-a-uuid', { slug: 'ok-slug', name: 'Tên', plan: 'pooled' }, 'id'],
      [randomUUID(), { slug: '../etc', name: 'Tên', plan: 'pooled' }, 'slug'],
      [randomUUID(), { slug: 'ok-slug', name: '', plan: 'pooled' }, 'name'],
      [randomUUID(), { slug: 'ok-slug', name: 'Tên', plan: 'gold' }, 'plan'],
    ] as const) {
      const answer = await put(id, body, token);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await answer.json()).toMatchObject({
        type: 'https://localstore.vn/problems/invalid-input',
        status: 400,
        code: 'INVALID_INPUT',
        field,
      });
    }
  });
});
