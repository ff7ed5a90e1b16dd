import { TestCell } from '@localstore/cell-api/testing';
import { httpRequest, TestControlPlane } from '@localstore/control-plane/testing';

const SIGNUP = `mutation Signup($input: SignupInput!) { signup(input: $input) { tenant { id slug name plan } accessToken refreshToken } }`;

/**
 * Signup end to end: directory, a real cell's internal provisioning endpoint, the route,
 * and the router serving the new subdomain. Stubbed: the SMS gateway only.
 */
describe('signing a business up', () => {
  let cp: TestControlPlane;
  let cell: TestCell;
  let token: string;
  const directoryCounts = async () =>
    (
      await cp.owner.query(
        `SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM memberships)::int AS memberships, (SELECT count(*) FROM routes)::int AS routes`,
      )
    )[0];
  const graphql = (query: string, variables: Record<string, unknown> = {}, as: string | null = token) =>
    httpRequest(`${cp.url}/graphql`, {
      host: 'app.localhost',
      body: { query, variables },
      headers: as ? { authorization: `Bearer ${as}` } : {},
    });

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    cell = await TestCell.start({ AUTH_JWKS_URL: cp.jwksUrl });
    await cp.owner.query(`UPDATE cells SET endpoint = $1 WHERE name = 'pooled-1'`, [cell.url]);
    token = (await cp.signIn('+84915000001')).accessToken;
  });
  afterAll(async () => {
    await cp?.stop();
    await cell?.stop();
  });

  it('derives the subdomain from the Vietnamese name, provisions the cell and routes it', async () => {
    const answer = await graphql(SIGNUP, { input: { businessName: 'Phở Bò Hà Nội' } });
    expect(answer.json.errors).toBeUndefined();
    const { tenant, accessToken } = answer.json.data.signup;
    expect(tenant).toMatchObject({ slug: 'pho-bo-ha-noi', name: 'Phở Bò Hà Nội', plan: 'pooled' });
    const [inCell] = await cell.ownerQuery(tenant.id, 'SELECT slug, name FROM tenants WHERE id = $1', [tenant.id]);
    expect(inCell).toEqual({ slug: 'pho-bo-ha-noi', name: 'Phở Bò Hà Nội' });
    await cp.routesReloadedAfter(0);
    for (let i = 0; i < 100 && !cp.running.routes.lookup('pho-bo-ha-noi'); i++) await new Promise((r) => setTimeout(r, 20));
    const created = await httpRequest(`${cp.url}/graphql`, {
      host: 'pho-bo-ha-noi.localhost',
      body: { query: 'mutation { createLocation(input: {name: "Chi nhánh đầu tiên"}) { name timezone } }' },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(created.json.data.createLocation).toEqual({ name: 'Chi nhánh đầu tiên', timezone: 'Asia/Ho_Chi_Minh' });
    const mine = await graphql('{ myTenants { slug role plan } }', {}, accessToken);
    expect(mine.json.data.myTenants).toEqual([{ slug: 'pho-bo-ha-noi', role: 'owner', plan: 'pooled' }]);
  });

  it('adds a suffix when the derived subdomain is taken, and refuses reserved or taken explicit ones', async () => {
    const second = await graphql(SIGNUP, { input: { businessName: 'Phở bò Hà Nội' } });
    expect(second.json.data.signup.tenant.slug).toBe('pho-bo-ha-noi-2');
    const reserved = await graphql(SIGNUP, { input: { businessName: 'Quản trị', slug: 'admin' } });
    expect(reserved.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SLUG_RESERVED', field: 'slug' });
    const taken = await graphql(SIGNUP, { input: { businessName: 'Khác', slug: 'pho-bo-ha-noi' } });
    expect(taken.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'SLUG_TAKEN', field: 'slug' });
    const empty = await graphql(SIGNUP, { input: { businessName: '   ' } });
    expect(empty.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'businessName' });
  });

  it('leaves nothing half-made when the cell cannot be reached', async () => {
    const before = await directoryCounts();
    await cp.owner.query(`UPDATE cells SET endpoint = 'http://127.0.0.1:9' WHERE name = 'pooled-1'`);
    try {
      const answer = await graphql(SIGNUP, { input: { businessName: 'Bún Chả Hương Liên' } });
      expect(answer.json.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'PROVISIONING_FAILED' });
      expect(await directoryCounts()).toEqual(before);
    } finally {
      await cp.owner.query(`UPDATE cells SET endpoint = $1 WHERE name = 'pooled-1'`, [cell.url]);
    }
  });

  it('refuses when every pooled cell is full', async () => {
    await cp.owner.query(`UPDATE cells SET capacity = 1 WHERE name = 'pooled-1'`);
    try {
      const answer = await graphql(SIGNUP, { input: { businessName: 'Cơm Tấm Cali' } });
      expect(answer.json.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'NO_CELL_CAPACITY' });
    } finally {
      await cp.owner.query(`UPDATE cells SET capacity = 500 WHERE name = 'pooled-1'`);
    }
  });

  it('needs a signed-in user, and only an owner changes the plan', async () => {
    const anonymous = await graphql(SIGNUP, { input: { businessName: 'Ẩn danh' } }, null);
    expect(anonymous.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const signup = await graphql(SIGNUP, { input: { businessName: 'Chuỗi Cơm Niêu' } });
    const tenantId = signup.json.data.signup.tenant.id;
    const owner = signup.json.data.signup.accessToken;
    const changed = await graphql('mutation($id: ID!) { changePlan(tenantId: $id, plan: "dedicated") { plan } }', { id: tenantId }, owner);
    expect(changed.json.data.changePlan.plan).toBe('dedicated');
    await cp.addMember(tenantId, '+84915000002', 'staff');
    const staff = (await cp.signIn('+84915000002')).accessToken;
    const refused = await graphql('mutation($id: ID!) { changePlan(tenantId: $id, plan: "pooled") { plan } }', { id: tenantId }, staff);
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_FORBIDDEN' });
    const bogus = await graphql('mutation($id: ID!) { changePlan(tenantId: $id, plan: "gold") { plan } }', { id: tenantId }, owner);
    expect(bogus.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'plan' });
  });
});
