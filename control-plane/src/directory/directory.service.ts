import { isUuid } from '@localstore/common';
import type { DirectoryRepository } from './directory.repository';
import { type DirectoryContext, signedInUser } from './directory-context';
import { DirectoryErrorCode, DirectoryException } from './directory.exception';
import type { SignupInput, SignupResult, TenantMembership } from './directory.types';
import type { SignupService } from './signup.service';
import type { TenantPlacement } from './tenant-placement';

export class DirectoryService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly placement: TenantPlacement,
    private readonly signups: SignupService,
  ) {}

  async myTenants(ctx: DirectoryContext): Promise<TenantMembership[]> {
    const memberships = await this.directory.membershipsOf(signedInUser(ctx));
    return memberships.map((m) => ({ id: m.tenantId, slug: m.slug, name: m.name, role: m.role, plan: m.plan }));
  }

  /** The signed-in user's membership of a tenant they just joined. */
  async membershipOf(ctx: DirectoryContext, tenantId: string): Promise<TenantMembership> {
    const membership = await this.directory.membership(signedInUser(ctx), tenantId);
    if (!membership) throw new DirectoryException(DirectoryErrorCode.NOT_A_MEMBER, 'tenantId');
    return { id: membership.tenantId, slug: membership.slug, name: membership.name, role: membership.role, plan: membership.plan };
  }

  signup(ctx: DirectoryContext, input: SignupInput): Promise<SignupResult> {
    const userId = signedInUser(ctx);
    if (typeof input.businessName !== 'string') throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'businessName');
    if (input.slug !== undefined && input.slug !== null && (typeof input.slug !== 'string' || input.slug.length > 63)) {
      throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'slug');
    }
    return this.signups.signup(userId, input.businessName, input.slug);
  }

  /** Only an owner changes the plan; the directory records it and the operator acts on it. */
  async changePlan(ctx: DirectoryContext, tenantId: string, plan: string): Promise<TenantMembership> {
    const userId = signedInUser(ctx);
    if (!isUuid(tenantId)) throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'tenantId');
    if (plan !== 'pooled' && plan !== 'dedicated') throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'plan');
    const membership = await this.directory.membership(userId, tenantId);
    if (!membership) throw new DirectoryException(DirectoryErrorCode.NOT_A_MEMBER, 'tenantId');
    if (membership.role !== 'owner') throw new DirectoryException(DirectoryErrorCode.ROLE_FORBIDDEN, 'tenantId');
    await this.placement.changePlan({ id: tenantId, slug: membership.slug }, plan);
    return { id: tenantId, slug: membership.slug, name: membership.name, role: membership.role, plan };
  }
}
