import {
  ApiException,
  CoordinationV1Api,
  Observable,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  /** Namespace and name of the coordination.k8s.io/v1 Lease the candidates compete for. */
  namespace: string;
  name: string;
  /** Unique per candidate (e.g. the pod name); it is written into the Lease as its holder. */
  identity: string;
  /** How long others wait, after the last renewal they saw, before taking the Lease over. */
  leaseDurationSeconds?: number;
  /** A leader that has not renewed for this long stops leading; must be shorter than the lease duration. */
  renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew. */
  retryPeriodMs?: number;
  logger: Logger;
  /** Called on becoming leader. Renewals do not wait for it: start the work and return. */
  onStartedLeading: () => void | Promise<void>;
  /** Called on losing or giving up the lead; the work must stop, another candidate may lead soon. */
  onStoppedLeading: () => void | Promise<void>;
}

/** Candidates retry at slightly different moments, so they do not all hit the API server together. */
const CANDIDATE_RETRY_JITTER = 0.2;

/**
 * Leader election on a Lease, after client-go's leaderelection. Writes are replaces carrying
 * the resourceVersion that was read, so of two candidates writing at once one gets 409
 * Conflict and stays a candidate. Whether a lease has expired is judged by this process's
 * clock, from when it last saw the Lease change, and not from the renewTime written by the
 * holder's clock: clocks of two nodes may disagree, and a lease taken early means two leaders.
 */
export class LeaderElector {
  private readonly coordination: CoordinationV1Api;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** Each request is cut off well before the renew deadline, so one hung request cannot cost the lead. */
  private readonly requestOptions: ConfigurationOptions;
  private leading = false;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeLoop: (() => void) | undefined;
  private renewDeadlineTimer: NodeJS.Timeout | undefined;
  /** The Lease's resourceVersion when last read, and when (by this clock) it was first seen. */
  private observed: { resourceVersion: string; seenAt: number } | undefined;
  /** The onStoppedLeading of the last term; a new term starts only once it has finished. */
  private leadershipEnded: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (!(this.renewDeadlineMs < this.leaseDurationSeconds * 1_000)) {
      throw new Error(
        'leader election: renewDeadlineMs must be shorter than leaseDurationSeconds, or a leader that cannot renew outlives its lease',
      );
    }
    if (!(this.retryPeriodMs * (1 + CANDIDATE_RETRY_JITTER) < this.renewDeadlineMs)) {
      throw new Error('leader election: retryPeriodMs must be well below renewDeadlineMs, or a single slow renewal costs the lead');
    }
    this.coordination = options.kubeConfig.makeApiClient(CoordinationV1Api);
    const requestTimeoutMs = Math.max(1_000, this.renewDeadlineMs / 2);
    this.requestOptions = {
      middleware: [
        {
          pre: (request) => {
            request.setSignal(AbortSignal.timeout(requestTimeoutMs));
            return new Observable(Promise.resolve(request));
          },
          post: (response) => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
  }

  get isLeader(): boolean {
    return this.leading;
  }

  run(): void {
    if (this.loop) throw new Error(`leader elector ${this.options.identity} is already running`);
    this.stopping = false;
    this.loop = this.acquireAndRenew();
  }

  /**
   * Stops competing. A leader first stops its work (onStoppedLeading), then, with `release`
   * (the default), clears itself from the Lease so another candidate takes over at once;
   * without it the Lease is left to expire, as after a crash.
   */
  async stop({ release = true }: { release?: boolean } = {}): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wakeLoop?.();
    await this.loop;
    this.loop = undefined;
    const wasLeading = this.leading;
    this.loseLeadership('the elector was stopped');
    await this.leadershipEnded;
    if (wasLeading && release) await this.release();
  }

  private async acquireAndRenew(): Promise<void> {
    while (!this.stopping) {
      await this.leadershipEnded;
      await this.tryAcquireOrRenew();
      const jitter = this.leading ? 0 : CANDIDATE_RETRY_JITTER * Math.random();
      await this.sleep(this.retryPeriodMs * (1 + jitter));
    }
  }

  /** One attempt; never throws (a failed renewal is answered by the renew deadline timer). */
  private async tryAcquireOrRenew(): Promise<void> {
    const { namespace, name, identity, logger } = this.options;
    const attemptedAt = Date.now();
    const wasLeading = this.leading;
    let lease: V1Lease;
    try {
      lease = await this.coordination.readNamespacedLease({ namespace, name }, this.requestOptions);
    } catch (error) {
      if (hasStatus(error, 404)) return this.createLease(attemptedAt);
      logger.warn({ err: error, lease: `${namespace}/${name}` }, 'could not read the leader lease');
      return;
    }
    this.observe(lease);
    const spec: V1LeaseSpec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const ours = holder === identity;
    if (holder && !ours && !this.hasExpired(spec)) {
      // At debug, every retry: shows a candidate alive and waiting (tests wait on it too).
      logger.debug({ lease: `${namespace}/${name}`, identity, holder }, 'the leader lease is held by another candidate');
      this.loseLeadership(`the lease is held by ${holder}`);
      return;
    }
    if (this.stopping && !this.leading) return;

    const now = new V1MicroTime(attemptedAt);
    try {
      const written = await this.coordination.replaceNamespacedLease(
        {
          namespace,
          name,
          body: {
            ...lease,
            spec: {
              ...spec,
              holderIdentity: identity,
              leaseDurationSeconds: this.leaseDurationSeconds,
              renewTime: now,
              // A renewal keeps the term's start; a takeover starts a new term.
              acquireTime: ours ? spec.acquireTime : now,
              leaseTransitions: ours ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
            },
          },
        },
        this.requestOptions,
      );
      this.observe(written);
      // Lost during this attempt (renew deadline): the next attempt starts a new term, once
      // onStoppedLeading has finished, so that two terms never overlap.
      if (wasLeading && !this.leading) return;
      this.renewed(attemptedAt, ours ? 'renewed' : holder ? `took over from ${holder}` : 'acquired the free lease');
    } catch (error) {
      // 409: another candidate wrote first; the next read shows who.
      if (!hasStatus(error, 409)) logger.warn({ err: error, lease: `${namespace}/${name}` }, 'could not write the leader lease');
    }
  }

  private async createLease(attemptedAt: number): Promise<void> {
    const { namespace, name, identity, logger } = this.options;
    if (this.stopping) return;
    const now = new V1MicroTime(attemptedAt);
    try {
      const created = await this.coordination.createNamespacedLease(
        {
          namespace,
          body: {
            metadata: { namespace, name },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: this.leaseDurationSeconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
        },
        this.requestOptions,
      );
      this.observe(created);
      this.renewed(attemptedAt, 'created the lease');
    } catch (error) {
      if (!hasStatus(error, 409)) logger.warn({ err: error, lease: `${namespace}/${name}` }, 'could not create the leader lease');
    }
  }

  /** Hands the Lease over: no holder, and a duration of one second for candidates that only look at expiry. */
  private async release(): Promise<void> {
    const { namespace, name, identity, logger } = this.options;
    try {
      const lease = await this.coordination.readNamespacedLease({ namespace, name }, this.requestOptions);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = new V1MicroTime();
      await this.coordination.replaceNamespacedLease(
        {
          namespace,
          name,
          body: { ...lease, spec: { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, acquireTime: now, renewTime: now } },
        },
        this.requestOptions,
      );
      logger.info({ lease: `${namespace}/${name}`, identity }, 'released the leader lease');
    } catch (error) {
      logger.warn({ err: error, lease: `${namespace}/${name}` }, 'could not release the leader lease; it will expire instead');
    }
  }

  private observe(lease: V1Lease): void {
    const resourceVersion = lease.metadata?.resourceVersion ?? '';
    if (this.observed?.resourceVersion !== resourceVersion) this.observed = { resourceVersion, seenAt: Date.now() };
  }

  private hasExpired(spec: V1LeaseSpec): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1_000;
    return this.observed !== undefined && this.observed.seenAt + durationMs < Date.now();
  }

  private renewed(attemptedAt: number, how: string): void {
    if (!this.leading) {
      this.leading = true;
      this.options.logger.info(
        { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity },
        `started leading: ${how}`,
      );
      void this.runCallback('onStartedLeading', this.options.onStartedLeading);
    } else {
      // At debug, every renewal: shows the leader alive (tests wait on it too).
      this.options.logger.debug(
        { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity },
        'renewed the leader lease',
      );
    }
    // Measured from when the renewal was sent, not answered: the lease may have been valid for less.
    clearTimeout(this.renewDeadlineTimer);
    this.renewDeadlineTimer = setTimeout(
      () => this.loseLeadership(`no renewal for ${this.renewDeadlineMs} ms`),
      attemptedAt + this.renewDeadlineMs - Date.now(),
    );
  }

  private loseLeadership(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    clearTimeout(this.renewDeadlineTimer);
    this.options.logger.warn(
      { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity },
      `stopped leading: ${reason}`,
    );
    this.leadershipEnded = this.runCallback('onStoppedLeading', this.options.onStoppedLeading);
  }

  private async runCallback(name: string, callback: () => void | Promise<void>): Promise<void> {
    try {
      await callback();
    } catch (error) {
      this.options.logger.error({ err: error, identity: this.options.identity }, `${name} failed`);
    }
  }

  /** Waits between attempts; stop() cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopping) return resolve();
      const wake = () => {
        clearTimeout(timer);
        this.wakeLoop = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeLoop = wake;
    });
  }
}

/** client-node 1.x rejects with an ApiException whose `code` is the HTTP status (its `body` is the raw text). */
function hasStatus(error: unknown, status: number): boolean {
  return error instanceof ApiException && error.code === status;
}
