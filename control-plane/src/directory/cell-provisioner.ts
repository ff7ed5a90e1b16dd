import type { AccessTokenIssuer } from '../identity/access-token.issuer';

/** The cell side of signup: the tenant's row in its cell, through the cell's internal endpoint. */
export class CellProvisioner {
  constructor(
    private readonly tokens: AccessTokenIssuer,
    private readonly timeoutMs: number,
  ) {}

  async createTenant(endpoint: string, tenant: { id: string; slug: string; name: string; plan: string }): Promise<void> {
    await this.call(endpoint, 'PUT', tenant.id, { slug: tenant.slug, name: tenant.name, plan: tenant.plan });
  }

  async removeTenant(endpoint: string, tenantId: string): Promise<void> {
    await this.call(endpoint, 'DELETE', tenantId);
  }

  private async call(endpoint: string, method: 'PUT' | 'DELETE', tenantId: string, body?: unknown): Promise<void> {
    const response = await fetch(new URL(`/internal/tenants/${tenantId}`, endpoint), {
      method,
      headers: { authorization: `Bearer ${await this.tokens.issueService('cell:provision')}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`cell answered ${response.status} to ${method} /internal/tenants/${tenantId}`);
  }
}
