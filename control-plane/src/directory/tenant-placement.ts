import { ApiException, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { CellProvisioner } from './cell-provisioner';
import { DirectoryErrorCode, DirectoryException } from './directory.exception';
import type { TenantsRepository } from './tenants.repository';

export interface NewTenant {
  id: string;
  slug: string;
  name: string;
  plan: string;
}

/**
 * Where a new business gets its place. Embedded, the control plane writes it itself; in a
 * cluster, the operator is the only writer of routes and the control plane asks it through
 * a `Tenant` resource.
 */
export interface TenantPlacement {
  /** Throws NO_CELL_CAPACITY before anything is written when no place can be found. */
  checkRoom(): Promise<void>;
  /**
   * Gives the tenant (already in the directory as `provisioning`) a cell and a route. If it
   * fails, it first undoes what it did, so the caller only removes the directory row.
   */
  place(tenant: NewTenant): Promise<void>;
  /** Records a plan change where it takes effect. */
  changePlan(tenant: { id: string; slug: string }, plan: 'pooled' | 'dedicated'): Promise<void>;
}

/** Embedded: the pooled cell's internal endpoint, then the route, in the directory. */
export class EmbeddedTenantPlacement implements TenantPlacement {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly cells: CellProvisioner,
    private readonly logger: Logger,
  ) {}

  async checkRoom(): Promise<void> {
    if (!(await this.tenants.pooledCellWithRoom())) throw new DirectoryException(DirectoryErrorCode.NO_CELL_CAPACITY);
  }

  async place(tenant: NewTenant): Promise<void> {
    const cell = await this.tenants.pooledCellWithRoom();
    if (!cell) throw new DirectoryException(DirectoryErrorCode.NO_CELL_CAPACITY);
    try {
      await this.cells.createTenant(cell.endpoint, tenant);
      await this.tenants.activate(tenant.id, cell.name);
    } catch (error) {
      await this.cells
        .removeTenant(cell.endpoint, tenant.id)
        .catch((undo: unknown) => this.logger.error({ err: undo, cell: cell.name }, 'could not remove the cell row'));
      throw error;
    }
  }

  async changePlan(tenant: { id: string }, plan: 'pooled' | 'dedicated'): Promise<void> {
    await this.tenants.setPlan(tenant.id, plan);
  }
}

export interface ClusterPlacementOptions {
  kubeconfig?: string;
  /** Labels put on the Tenant resources signup creates (`TENANT_LABELS`). */
  labels: Record<string, string>;
  /** How long signup waits for the operator to route the new tenant. */
  timeoutMs: number;
}

/**
 * In a cluster: signup creates the `Tenant` resource (named by the slug) and waits until the
 * operator has placed it — the directory shows it active with a route. The directory row
 * signup already wrote carries the id; the operator finds it by slug and keeps it.
 */
export class ClusterTenantPlacement implements TenantPlacement {
  private readonly objects: KubernetesObjectApi;

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly options: ClusterPlacementOptions,
    private readonly logger: Logger,
  ) {
    const kubeConfig = new KubeConfig();
    if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  async checkRoom(): Promise<void> {
    // The operator creates a pooled cell when all are full: there is always room.
  }

  /** Creates the Tenant resource, then waits until the operator has routed it. */
  async place(tenant: NewTenant): Promise<void> {
    try {
      await this.objects.create({
        apiVersion: 'localstore.vn/v1alpha1',
        kind: 'Tenant',
        metadata: { name: tenant.slug, labels: this.options.labels, annotations: { 'localstore.vn/tenant-id': tenant.id } },
        spec: { displayName: tenant.name, plan: tenant.plan },
      } as never);
    } catch (error) {
      // Someone else's Tenant of that name: not ours to remove.
      if (error instanceof ApiException && error.code === 409)
        throw new DirectoryException(DirectoryErrorCode.SLUG_TAKEN, 'slug', { slug: tenant.slug });
      throw error;
    }
    const deadline = Date.now() + this.options.timeoutMs;
    try {
      while (!(await this.tenants.isRouted(tenant.id))) {
        if (Date.now() > deadline) throw new Error(`the operator did not place tenant ${tenant.slug} within ${this.options.timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (error) {
      // The resource we created goes, so the operator does not place a business signup gave up on.
      await this.removeTenantResource(tenant).catch((undo: unknown) =>
        this.logger.error({ err: undo }, 'could not delete the Tenant resource'),
      );
      throw error;
    }
  }

  private async removeTenantResource(tenant: NewTenant): Promise<void> {
    try {
      await this.objects.delete({ apiVersion: 'localstore.vn/v1alpha1', kind: 'Tenant', metadata: { name: tenant.slug } });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) throw error;
    }
  }

  /** The Tenant's spec is the desired placement: the operator promotes the tenant from it. */
  async changePlan(tenant: { id: string; slug: string }, plan: 'pooled' | 'dedicated'): Promise<void> {
    await this.tenants.setPlan(tenant.id, plan);
    await this.objects.patch(
      { apiVersion: 'localstore.vn/v1alpha1', kind: 'Tenant', metadata: { name: tenant.slug }, spec: { plan } } as never,
      undefined,
      undefined,
      'localstore-control-plane',
      undefined,
      'application/merge-patch+json',
    );
  }
}
