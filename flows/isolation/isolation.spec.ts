import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { LOCATION_DASHBOARD, ORDERS, RECORD_SALE, VOID_ORDER } from '@localstore/cell-api/testing';
import { TestCell } from '@localstore/cell-api/testing';
import { io, type Socket } from 'socket.io-client';
import { httpRequest, TestControlPlane } from '@localstore/control-plane/testing';

/**
 * Isolation, tried three times over against the real router, a real cell and real
 * Postgres: the Host (router), the token (signature and tenant claim) and row-level
 * security. Every attempt is refused, and nothing of tenant B comes back.
 */
describe('isolation between tenants, through the router', () => {
  let cp: TestControlPlane;
  let cell: TestCell;
  const a = { slug: `quan-a-${randomUUID().slice(0, 4)}`, id: randomUUID() };
  const b = { slug: `quan-b-${randomUUID().slice(0, 4)}`, id: randomUUID() };
  let aToken: string;
  let bLocation: string;
  let bItem: string;
  let bOrder: string;
  let aLocation: string;
  const B_SECRET_NAME = 'Công thức nước dùng bí mật của B';

  const gql = (
    host: string,
    token: string | undefined,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) =>
    httpRequest(`${cp.url}/graphql`, {
      host: `${host}.localhost`,
      body: { query, variables },
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  const leaksB = (text: string) => text.includes(bLocation) || text.includes(B_SECRET_NAME) || text.includes(bOrder) || text.includes(b.id);

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    cell = await TestCell.start({ AUTH_JWKS_URL: cp.jwksUrl });
    for (const t of [a, b]) {
      await cp.addTenant({ id: t.id, slug: t.slug, cell: { name: 'test-cell', endpoint: cell.url } });
      await cell.factories.newTenant(t.slug, 'active', t.id);
    }
    aLocation = await cell.factories.newLocation(a);
    bLocation = await cell.factories.newLocation(b, B_SECRET_NAME);
    bItem = (await cell.factories.newMenuItem(b, { name: B_SECRET_NAME })).id;
    await cp.addMember(a.id, '+84914000001', 'owner');
    await cp.addMember(b.id, '+84914000002', 'owner');
    aToken = (await cp.signIn('+84914000001')).accessToken;
    const bToken = (await cp.signIn('+84914000002')).accessToken;
    const sale = await gql(b.slug, bToken, RECORD_SALE, {
      input: { id: randomUUID(), locationId: bLocation, items: [{ itemId: bItem, quantity: 1 }] },
    });
    bOrder = sale.json.data.recordSale.id;
  });
  afterAll(async () => {
    await cp?.stop();
    await cell?.stop();
  });

  it("refuses A's token on B's subdomain", async () => {
    const answer = await gql(b.slug, aToken, '{ locations { id name } }');
    expect(answer.json.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(leaksB(answer.text)).toBe(false);
  });

  it('ignores an X-Tenant header sent by the client', async () => {
    const answer = await gql(a.slug, aToken, '{ locations { id name } }', {}, { 'x-tenant': b.slug });
    expect(answer.json.data.locations).toEqual([{ id: aLocation, name: 'Chi nhánh Quận 1' }]);
    expect(leaksB(answer.text)).toBe(false);
  });

  it("refuses a token claiming B's tenant but signed by another key", async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = (await cp.api('/.well-known/jwks.json')).json.keys[0].kid;
    const forged = await new SignJWT({ tid: b.id, role: 'owner', locs: '*' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(randomUUID())
      .setIssuer('localstore-control-plane')
      .setAudience('localstore-cell')
      .setExpirationTime('10m')
      .sign(privateKey);
    const answer = await gql(b.slug, forged, '{ locations { id name } }');
    expect(answer.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(leaksB(answer.text)).toBe(false);
  });

  it('refuses unsigned tokens and HS256 tokens keyed with the public key', async () => {
    const jwks = (await cp.api('/.well-known/jwks.json')).json;
    const claims = {
      sub: randomUUID(),
      tid: b.id,
      role: 'owner',
      locs: '*',
      iss: 'localstore-control-plane',
      aud: 'localstore-cell',
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    const publicPem = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: jwks.keys[0].kid })}.${encode(claims)}`;
    const confused = `${unsigned}.${createHmac('sha256', publicPem).update(unsigned).digest('base64url')}`;
    for (const token of [none, confused]) {
      const answer = await gql(b.slug, token, '{ locations { id name } }');
      expect(answer.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(leaksB(answer.text)).toBe(false);
    }
  });

  it('refuses an expired token signed with the real key', async () => {
    const [key] = await cp.owner.query('SELECT kid, private_jwk AS jwk FROM signing_keys WHERE retired_at IS NULL');
    const expired = await new SignJWT({ tid: b.id, role: 'owner', locs: '*' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject(randomUUID())
      .setIssuer('localstore-control-plane')
      .setAudience('localstore-cell')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 1000)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await importJWK(key.jwk, 'ES256'));
    const answer = await gql(b.slug, expired, '{ locations { id name } }');
    expect(answer.json.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(leaksB(answer.text)).toBe(false);
  });

  it("gives A nothing of B when A passes B's ids", async () => {
    const attempts = [
      await gql(a.slug, aToken, LOCATION_DASHBOARD, { id: bLocation }),
      await gql(a.slug, aToken, ORDERS, { locationId: bLocation }),
      await gql(a.slug, aToken, VOID_ORDER, { id: bOrder, reason: 'phá' }),
      await gql(a.slug, aToken, RECORD_SALE, {
        input: { id: randomUUID(), locationId: aLocation, items: [{ itemId: bItem, quantity: 1 }] },
      }),
      await gql(
        a.slug,
        aToken,
        'query($ids: [ID!]) { dashboard(range: {from: "2026-01-01", to: "2026-12-31"}, locationIds: $ids) { locations { locationId name } topItems { name } } }',
        { ids: [bLocation] },
      ),
    ];
    for (const answer of attempts) expect(leaksB(answer.text)).toBe(false);
    expect(attempts.slice(0, 4).every((answer) => answer.json.errors?.length > 0)).toBe(true);
    const [order] = await cell.ownerQuery(b.id, 'SELECT status FROM orders WHERE id = $1', [bOrder]);
    expect(order.status).toBe('completed');
  });

  describe('Socket.IO through the router', () => {
    const sockets: Socket[] = [];
    afterAll(() => sockets.forEach((socket) => socket.disconnect()));
    const connect = (host: string, token: string): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = io(cp.url, {
          path: '/socket.io',
          transports: ['websocket'],
          reconnection: false,
          auth: { token },
          extraHeaders: { host: `${host}.localhost`, 'x-tenant': b.slug },
        });
        sockets.push(socket);
        socket.on('connect', () => resolve(socket));
        socket.on('connect_error', reject);
      });

    it("lets A in on A's subdomain (the forged X-Tenant dropped) but never into B's rooms", async () => {
      const socket = await connect(a.slug, aToken);
      expect(await socket.emitWithAck('join', { locationId: aLocation })).toMatchObject({ ok: true });
      expect(await socket.emitWithAck('join', { locationId: bLocation })).toEqual({ ok: false, code: 'NOT_FOUND' });
    });

    it("refuses A's token on B's subdomain at the handshake", async () => {
      await expect(connect(b.slug, aToken)).rejects.toMatchObject({ message: 'FORBIDDEN' });
    });
  });
});
