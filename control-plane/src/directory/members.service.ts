import { randomInt } from 'node:crypto';
import { isUuid, normaliseVietnameseMobile } from '@localstore/common';
import type { DirectoryRepository } from './directory.repository';
import { type DirectoryContext, signedInUser } from './directory-context';
import { DirectoryErrorCode, DirectoryException } from './directory.exception';
import type { MemberRow, MembersRepository } from './members.repository';

const ROLES = ['owner', 'manager', 'staff'];
/** No 0/O or 1/I: codes are read aloud and copied from paper. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const fail = (reason: DirectoryErrorCode, field?: string) => new DirectoryException(reason, field);

function locationIdsOf(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || value.length > 200 || !value.every(isUuid)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'locationIds');
  return [...new Set(value)];
}

/** Who belongs to a business: invites by phone, join codes, role changes, removal. */
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  async list(ctx: DirectoryContext, tenantId: string): Promise<MemberRow[]> {
    await this.requireRole(ctx, tenantId, ['owner', 'manager']);
    return this.members.members(tenantId);
  }

  async invite(ctx: DirectoryContext, input: { tenantId: string; phone: string; role: string; locationIds?: string[] | null }) {
    const userId = await this.requireRole(ctx, input.tenantId, ['owner']);
    const phone = normaliseVietnameseMobile(String(input.phone));
    if (!phone.ok) throw fail(DirectoryErrorCode.INVALID_INPUT, 'phone');
    if (!ROLES.includes(input.role)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'role');
    return this.members.createInvite({
      tenantId: input.tenantId,
      phone: phone.e164,
      role: input.role,
      locationIds: locationIdsOf(input.locationIds),
      invitedBy: userId,
      ttlHours: 7 * 24,
    });
  }

  async myInvites(ctx: DirectoryContext) {
    const phone = await this.members.phoneOf(signedInUser(ctx));
    return phone ? this.members.openInvitesFor(phone) : [];
  }

  async acceptInvite(ctx: DirectoryContext, inviteId: string): Promise<string> {
    const userId = signedInUser(ctx);
    if (!isUuid(inviteId)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'inviteId');
    const phone = await this.members.phoneOf(userId);
    const tenantId = phone ? await this.members.acceptInvite(inviteId, phone, userId) : null;
    if (!tenantId) throw fail(DirectoryErrorCode.INVITE_NOT_FOUND, 'inviteId');
    return tenantId;
  }

  async createJoinCode(
    ctx: DirectoryContext,
    input: { tenantId: string; role: string; ttlHours?: number | null; locationIds?: string[] | null },
  ) {
    const userId = await this.requireRole(ctx, input.tenantId, ['owner']);
    if (input.role !== 'manager' && input.role !== 'staff') throw fail(DirectoryErrorCode.INVALID_INPUT, 'role');
    const ttlHours = input.ttlHours ?? 72;
    if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > 30 * 24) throw fail(DirectoryErrorCode.INVALID_INPUT, 'ttlHours');
    const locationIds = locationIdsOf(input.locationIds);
    for (let attempt = 0; attempt < 10; attempt++) {
      const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      const created = await this.members.createJoinCode({
        code,
        tenantId: input.tenantId,
        role: input.role,
        locationIds,
        createdBy: userId,
        ttlHours,
      });
      if (created) return created;
    }
    throw new Error('could not find a free join code');
  }

  async joinWithCode(ctx: DirectoryContext, code: string): Promise<string> {
    const userId = signedInUser(ctx);
    const normalised = String(code).trim().toUpperCase();
    if (!/^[A-HJ-NP-Z2-9]{6}$/.test(normalised)) throw fail(DirectoryErrorCode.JOIN_CODE_INVALID, 'code');
    const tenantId = await this.members.joinWithCode(normalised, userId);
    if (!tenantId) throw fail(DirectoryErrorCode.JOIN_CODE_INVALID, 'code');
    return tenantId;
  }

  async change(
    ctx: DirectoryContext,
    input: { tenantId: string; userId: string; role?: string; locationIds?: string[] | null; remove?: boolean },
  ): Promise<void> {
    await this.requireRole(ctx, input.tenantId, ['owner']);
    if (!isUuid(input.userId)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'userId');
    let change: { role: string; locationIds: string[] | null } | 'remove' = 'remove';
    if (!input.remove) {
      if (!input.role || !ROLES.includes(input.role)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'role');
      change = { role: input.role, locationIds: locationIdsOf(input.locationIds) };
    }
    const outcome = await this.members.changeMember(input.tenantId, input.userId, change);
    if (outcome === 'not_found') throw fail(DirectoryErrorCode.MEMBER_NOT_FOUND, 'userId');
    if (outcome === 'last_owner') throw fail(DirectoryErrorCode.LAST_OWNER, 'userId');
  }

  private async requireRole(ctx: DirectoryContext, tenantId: string, roles: string[]): Promise<string> {
    const userId = signedInUser(ctx);
    if (!isUuid(tenantId)) throw fail(DirectoryErrorCode.INVALID_INPUT, 'tenantId');
    const membership = await this.directory.membership(userId, tenantId);
    if (!membership) throw fail(DirectoryErrorCode.NOT_A_MEMBER, 'tenantId');
    if (!roles.includes(membership.role)) throw fail(DirectoryErrorCode.ROLE_FORBIDDEN, 'tenantId');
    return userId;
  }
}
