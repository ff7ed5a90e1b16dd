import { randomUUID } from 'node:crypto';
import { isUsableSlug, RESERVED_SLUGS, slugFromName } from '@localstore/common';
import type { Logger } from 'pino';
import type { AccessTokenIssuer } from '../identity/access-token.issuer';
import type { RefreshTokens } from '../identity/refresh-tokens';
import { DirectoryErrorCode, DirectoryException } from './directory.exception';
import type { TenantPlacement } from './tenant-placement';
import type { TenantsRepository } from './tenants.repository';

export interface SignupResult {
  tenant: { id: string; slug: string; name: string; plan: string };
  accessToken: string;
  refreshToken: string;
}

/**
 * Creates a business: a free subdomain from its Vietnamese name, the caller as owner, then
 * its place (embedded: a pooled cell with room, its row there and its route; in a cluster:
 * a Tenant resource the operator places). Each step is undone if a later one fails, so
 * there is never a tenant without its cell row nor a route without a tenant.
 */
export class SignupService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly placement: TenantPlacement,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokens,
    private readonly logger: Logger,
  ) {}

  async signup(userId: string, businessName: string, requestedSlug?: string | null): Promise<SignupResult> {
    const name = businessName.trim();
    if (name.length === 0 || name.length > 200) throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'businessName');
    await this.placement.checkRoom();
    const tenant = { id: randomUUID(), slug: '', name, plan: 'pooled' };
    for (let attempt = 0; attempt < 5 && !tenant.slug; attempt++) {
      const slug = await this.freeSlug(name, requestedSlug);
      if (await this.tenants.insertProvisioning({ ...tenant, slug }, userId)) tenant.slug = slug;
      else if (requestedSlug) throw new DirectoryException(DirectoryErrorCode.SLUG_TAKEN, 'slug', { slug });
    }
    if (!tenant.slug) throw new DirectoryException(DirectoryErrorCode.PROVISIONING_FAILED);
    try {
      await this.placement.place(tenant);
    } catch (error) {
      this.logger.error({ err: error, tenant: tenant.slug }, 'signup failed; undoing it');
      await this.tenants.removeProvisioning(tenant.id);
      if (error instanceof DirectoryException) throw error;
      throw new DirectoryException(DirectoryErrorCode.PROVISIONING_FAILED);
    }
    const { token } = await this.accessTokens.issue(userId, { tenantId: tenant.id, role: 'owner', locationIds: null });
    return { tenant, accessToken: token, refreshToken: await this.refreshTokens.issue(userId, tenant.id) };
  }

  /** The requested slug if it is usable and free; else one derived from the name, with a suffix when taken. */
  private async freeSlug(name: string, requested?: string | null): Promise<string> {
    if (requested) {
      const slug = requested.trim().toLowerCase();
      if (RESERVED_SLUGS.has(slug)) throw new DirectoryException(DirectoryErrorCode.SLUG_RESERVED, 'slug', { slug });
      if (!isUsableSlug(slug)) throw new DirectoryException(DirectoryErrorCode.INVALID_INPUT, 'slug');
      if ((await this.tenants.slugsLike(slug)).has(slug)) throw new DirectoryException(DirectoryErrorCode.SLUG_TAKEN, 'slug', { slug });
      return slug;
    }
    let base = slugFromName(name);
    if (!isUsableSlug(base)) base = isUsableSlug(`quan-${base}`) ? `quan-${base}` : `quan-${randomUUID().slice(0, 6)}`;
    const taken = await this.tenants.slugsLike(base);
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}
