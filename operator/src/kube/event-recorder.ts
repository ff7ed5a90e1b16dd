import type { CoreV1Api, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';

/**
 * Writes Kubernetes Events on the operator's resources, so `kubectl describe tenant x`
 * tells an admin what the operator did and why. An event repeated within a pass-to-pass
 * loop (same object, reason and message) is sent once; a lost event is logged, never
 * fatal: events are for people, state lives in status.
 */
export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly component: string,
    private readonly logger: Logger,
    /** Cluster-scoped objects have no namespace; their events go here, as kubectl expects. */
    private readonly clusterScopedNamespace = 'default',
    private readonly repeatWindowMs = 10 * 60_000,
  ) {}

  normal(object: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.record(object, 'Normal', reason, message);
  }

  warning(object: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.record(object, 'Warning', reason, message);
  }

  private async record(object: KubernetesObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const { name, namespace, uid } = object.metadata ?? {};
    const key = `${uid}/${reason}/${message}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - this.repeatWindowMs) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) this.recent.clear();
    const eventNamespace = namespace ?? this.clusterScopedNamespace;
    const at = new Date(now);
    try {
      await this.core.createNamespacedEvent({
        namespace: eventNamespace,
        body: {
          metadata: { generateName: `${name}.`, namespace: eventNamespace },
          involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name, uid, ...(namespace ? { namespace } : {}) },
          type,
          reason,
          message: message.slice(0, 1024),
          source: { component: this.component },
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
          reportingComponent: this.component,
        },
      });
    } catch (error) {
      this.logger.warn({ err: error, object: name, reason }, 'could not record an event');
    }
  }
}
