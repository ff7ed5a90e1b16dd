import { randomUUID } from 'node:crypto';
import { httpRequest, TestControlPlane } from '../../test/test-control-plane';

/** Team management through app.<domain>/graphql on a real directory. Stubbed: SMS only. */
describe('members, invites and join codes', () => {
  let cp: TestControlPlane;
  let tenantId: string;
  let ownerId: string;
  let owner: string;
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    httpRequest(`${cp.url}/graphql`, { host: 'app.localhost', body: { query, variables }, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    cp = await TestControlPlane.start();
    tenantId = await cp.addTenant({
      slug: `nhom-${randomUUID().slice(0, 6)}`,
      name: 'Quán Nhóm',
      cell: { name: 'pooled-1', endpoint: 'http://127.0.0.1:9' },
    });
    ownerId = await cp.addMember(tenantId, '+84916000001', 'owner');
    owner = (await cp.signIn('+84916000001')).accessToken;
  });
  afterAll(() => cp?.stop());

  it('invites by phone: the invitee sees it after signing in and joins with the role given', async () => {
    const invited = await gql(owner, 'mutation($i: InviteInput!) { inviteMember(input: $i) { id phone role tenantName } }', {
      i: { tenantId, phone: '0916 000 002', role: 'manager' },
    });
    expect(invited.json.data.inviteMember).toMatchObject({ phone: '+84916000002', role: 'manager', tenantName: 'Quán Nhóm' });
    const invitee = (await cp.signIn('+84916000002')).accessToken;
    const mine = await gql(invitee, '{ myInvites { id tenantName role } }');
    expect(mine.json.data.myInvites).toEqual([{ id: invited.json.data.inviteMember.id, tenantName: 'Quán Nhóm', role: 'manager' }]);
    const accepted = await gql(invitee, 'mutation($id: ID!) { acceptInvite(inviteId: $id) { id role } }', {
      id: invited.json.data.inviteMember.id,
    });
    expect(accepted.json.data.acceptInvite).toEqual({ id: tenantId, role: 'manager' });
    const again = await gql(invitee, 'mutation($id: ID!) { acceptInvite(inviteId: $id) { id } }', {
      id: invited.json.data.inviteMember.id,
    });
    expect(again.json.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'INVITE_NOT_FOUND' });
  });

  it('does not let someone else take an invite meant for another phone', async () => {
    const invited = await gql(owner, 'mutation($i: InviteInput!) { inviteMember(input: $i) { id } }', {
      i: { tenantId, phone: '0916000003', role: 'staff' },
    });
    const stranger = (await cp.signIn('+84916000004')).accessToken;
    const taken = await gql(stranger, 'mutation($id: ID!) { acceptInvite(inviteId: $id) { id } }', {
      id: invited.json.data.inviteMember.id,
    });
    expect(taken.json.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('joins with a printed 6-character code, in any case', async () => {
    const created = await gql(owner, 'mutation($i: JoinCodeInput!) { createJoinCode(input: $i) { code expiresAt } }', {
      i: { tenantId, role: 'staff', ttlHours: 24 },
    });
    const { code } = created.json.data.createJoinCode;
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const joiner = (await cp.signIn('+84916000005')).accessToken;
    const joined = await gql(joiner, 'mutation($c: String!) { joinWithCode(code: $c) { id role } }', { c: code.toLowerCase() });
    expect(joined.json.data.joinWithCode).toEqual({ id: tenantId, role: 'staff' });
    await cp.owner.query(`UPDATE join_codes SET expires_at = now() - interval '1 minute' WHERE code = $1`, [code]);
    const late = (await cp.signIn('+84916000006')).accessToken;
    const expired = await gql(late, 'mutation($c: String!) { joinWithCode(code: $c) { id } }', { c: code });
    expect(expired.json.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'JOIN_CODE_INVALID' });
    const ownerCode = await gql(owner, 'mutation($i: JoinCodeInput!) { createJoinCode(input: $i) { code } }', {
      i: { tenantId, role: 'owner' },
    });
    expect(ownerCode.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
  });

  it('keeps the last owner, and lets only owners manage the team', async () => {
    const lastOwner = await gql(owner, 'mutation($t: ID!, $u: ID!) { removeMember(tenantId: $t, userId: $u) }', {
      t: tenantId,
      u: ownerId,
    });
    expect(lastOwner.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER' });
    const demote = await gql(owner, 'mutation($i: MemberChangeInput!) { changeMemberRole(input: $i) }', {
      i: { tenantId, userId: ownerId, role: 'staff' },
    });
    expect(demote.json.errors[0].extensions.reason).toBe('LAST_OWNER');
    const list = await gql(owner, 'query($t: ID!) { members(tenantId: $t) { phone role } }', { t: tenantId });
    expect(list.json.data.members).toEqual(
      expect.arrayContaining([
        { phone: '+84916000001', role: 'owner' },
        { phone: '+84916000002', role: 'manager' },
      ]),
    );
    const manager = (await cp.signIn('+84916000007')).accessToken;
    await cp.addMember(tenantId, '+84916000007', 'manager');
    const refused = await gql(manager, 'mutation($i: InviteInput!) { inviteMember(input: $i) { id } }', {
      i: { tenantId, phone: '0916000008', role: 'owner' },
    });
    expect(refused.json.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_FORBIDDEN' });
    const hostile = await gql(owner, 'mutation($i: InviteInput!) { inviteMember(input: $i) { id } }', {
      i: { tenantId, phone: '028 3822 1234', role: 'staff' },
    });
    expect(hostile.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    const badLocations = await gql(owner, 'mutation($i: InviteInput!) { inviteMember(input: $i) { id } }', {
      i: { tenantId, phone: '0916000009', role: 'staff', locationIds: ['q1'] },
    });
    expect(badLocations.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locationIds' });
  });
});
