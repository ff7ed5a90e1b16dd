import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { GROUP, VERSION } from './resources';

/** Every object and status the operator writes is applied under this one field manager. */
export const FIELD_MANAGER = 'localstore-operator';

const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Where each kind the operator applies lives in the API (no discovery round trip, no guessing plurals). */
const RESOURCES: Record<string, { plural: string; namespaced: boolean }> = {
  Namespace: { plural: 'namespaces', namespaced: false },
  Secret: { plural: 'secrets', namespaced: true },
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  Service: { plural: 'services', namespaced: true },
  Deployment: { plural: 'deployments', namespaced: true },
  HorizontalPodAutoscaler: { plural: 'horizontalpodautoscalers', namespaced: true },
  PodDisruptionBudget: { plural: 'poddisruptionbudgets', namespaced: true },
  NetworkPolicy: { plural: 'networkpolicies', namespaced: true },
  ServiceMonitor: { plural: 'servicemonitors', namespaced: true },
  Cell: { plural: 'cells', namespaced: false },
  Tenant: { plural: 'tenants', namespaced: false },
};

export function resourcePath(apiVersion: string, kind: string, namespace?: string): string {
  const resource = RESOURCES[kind];
  if (!resource) throw new Error(`the operator does not apply ${kind}`);
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (resource.namespaced && !namespace) throw new Error(`${kind} needs a namespace`);
  return `${prefix}${resource.namespaced ? `/namespaces/${encodeURIComponent(namespace!)}` : ''}/${resource.plural}`;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

/**
 * The operator's view of the API server: server-side apply of whole desired objects (the
 * server merges and tracks which manager owns which field, so a pass never needs to know
 * what the previous one wrote), reads that answer `undefined` for absent objects, and
 * status written through the status subresource.
 */
export class KubeClient {
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;

  constructor(readonly kubeConfig: KubeConfig) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * Server-side apply with force: the operator is the authority on the fields it sets.
   * Sent as raw JSON, not through the client's typed serializer, which drops fields whose
   * model name differs from the wire name (a NetworkPolicy's `from` became nothing).
   */
  async apply<T extends KubernetesObject>(desired: T): Promise<T> {
    const { name, namespace } = desired.metadata ?? {};
    const path = `${resourcePath(desired.apiVersion!, desired.kind!, namespace)}/${encodeURIComponent(name!)}`;
    return (await this.raw('PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, desired, PatchStrategy.ServerSideApply)) as T;
  }

  /** One request to the API server with the kubeconfig's credentials; non-2xx throws ApiException. */
  private async raw(method: string, path: string, body: unknown, contentType: string): Promise<unknown> {
    const server = new URL(this.kubeConfig.getCurrentCluster()!.server);
    const options: RequestOptions = {
      method,
      protocol: server.protocol,
      hostname: server.hostname,
      port: server.port,
      path,
      headers: { 'content-type': contentType, accept: 'application/json' },
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const payload = JSON.stringify(body);
    const send = server.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(options, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text ? JSON.parse(text) : undefined);
          else
            reject(
              new ApiException(
                status,
                `${method} ${path} answered ${status}: ${text.slice(0, 2000)}`,
                text,
                res.headers as Record<string, string>,
              ),
            );
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async read<T extends KubernetesObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    try {
      return (await this.objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })) as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Deletes an object; an object already gone is not an error. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    try {
      await this.objects.delete(
        { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } },
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Applies the status of one of the operator's own resources (its status subresource). */
  async applyStatus(plural: 'tenants' | 'cells', kind: 'Tenant' | 'Cell', name: string, status: object): Promise<void> {
    await this.custom.patchClusterCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        plural,
        name,
        body: { apiVersion: `${GROUP}/${VERSION}`, kind, metadata: { name }, status },
        fieldManager: FIELD_MANAGER,
        force: true,
      },
      APPLY,
    );
  }

  /**
   * Adds or removes the operator's finalizer. Not server-side apply: an apply of only the
   * metadata under the same field manager would drop the spec that manager applied to the
   * cells it creates. A merge patch carrying the read resourceVersion keeps other parties'
   * finalizers and fails with a conflict (retried by the queue) if the object moved on.
   */
  async setFinalizer(plural: 'tenants' | 'cells', object: KubernetesObject, finalizer: string, present: boolean): Promise<void> {
    const current = object.metadata?.finalizers ?? [];
    if (current.includes(finalizer) === present) return;
    const finalizers = present ? [...current, finalizer] : current.filter((f) => f !== finalizer);
    try {
      await this.custom.patchClusterCustomObject(
        {
          group: GROUP,
          version: VERSION,
          plural,
          name: object.metadata!.name!,
          body: { metadata: { finalizers, resourceVersion: object.metadata!.resourceVersion } },
        },
        MERGE,
      );
    } catch (error) {
      // Gone already: the last finalizer came off and the API server deleted it.
      if (!isNotFound(error)) throw error;
    }
  }
}
