import { ApiException, CoordinationV1Api, CoreV1Api, KubeConfig, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import pino from 'pino';
import { LeaderElector, type LeaderElectionOptions } from './leader-election';

/**
 * Real: the kube-apiserver of `make k8s-up` and its Lease objects, conflicts and all.
 * Stubbed: only the network, by a TCP relay the test can cut, to partition a leader.
 */
const ROOT = resolve(__dirname, '../../..');
const NAMESPACE = 'leader-test';
const kubeConfig = new KubeConfig();
let coordination: CoordinationV1Api;

interface Candidate {
  elector: LeaderElector;
  identity: string;
  /** 'started' and 'stopped', in the order the callbacks ran. */
  callbacks: string[];
  /** The messages the elector logged (debug included), in order. */
  logged: string[];
}

const RENEWED = 'renewed the leader lease';
const HELD_BY_ANOTHER = 'the leader lease is held by another candidate';
/** How many times `candidate` has logged `message`. */
const timesLogged = (candidate: Candidate, message: string) => candidate.logged.filter((logged) => logged === message).length;

describe('LeaderElector', () => {
  let leaseName: string;
  let candidates: Candidate[];
  /** The callbacks of all candidates of a test, in the order they ran: two terms must never overlap. */
  let timeline: string[];

  /** Short timings so that an expiry takes two seconds; the ratios are those of the defaults. */
  function newCandidate(identity: string, overrides: Partial<LeaderElectionOptions> = {}): Candidate {
    const callbacks: string[] = [];
    const logged: string[] = [];
    const elector = new LeaderElector({
      kubeConfig,
      namespace: NAMESPACE,
      name: leaseName,
      identity,
      leaseDurationSeconds: 2,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 200,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logged.push((JSON.parse(line) as { msg: string }).msg) }),
      onStartedLeading: () => {
        callbacks.push('started');
        timeline.push(`${identity} started`);
      },
      onStoppedLeading: () => {
        callbacks.push('stopped');
        timeline.push(`${identity} stopped`);
      },
      ...overrides,
    });
    const candidate = { elector, identity, callbacks, logged };
    candidates.push(candidate);
    return candidate;
  }

  const readLease = (): Promise<V1Lease> => coordination.readNamespacedLease({ namespace: NAMESPACE, name: leaseName });
  const leaders = () => candidates.filter((candidate) => candidate.elector.isLeader);

  beforeAll(async () => {
    execFileSync(resolve(ROOT, 'scripts/k8s.sh'), ['up'], { stdio: 'pipe' });
    kubeConfig.loadFromFile(resolve(ROOT, '.local/k8s/kubeconfig'));
    coordination = kubeConfig.makeApiClient(CoordinationV1Api);
    try {
      await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409)) throw error;
    }
  });
  beforeEach(() => {
    leaseName = `lease-${randomUUID().slice(0, 8)}`;
    candidates = [];
    timeline = [];
  });
  afterEach(async () => {
    await Promise.all(candidates.map((candidate) => candidate.elector.stop({ release: false })));
    await coordination.deleteNamespacedLease({ namespace: NAMESPACE, name: leaseName }).catch(() => undefined);
  });

  it('makes exactly one of two candidates the leader, and names it in the Lease', async () => {
    const first = newCandidate('operator-0');
    const second = newCandidate('operator-1');
    first.elector.run();
    second.elector.run();
    await vi.waitFor(() => expect(leaders()).toHaveLength(1));
    const [leader] = leaders();
    const other = candidates.find((candidate) => candidate !== leader)!;
    // Several renewals, and as many tries of the other candidate, each of which found the lease held.
    const [renewed, tried] = [timesLogged(leader, RENEWED), timesLogged(other, HELD_BY_ANOTHER)];
    await vi.waitFor(
      () => {
        expect(timesLogged(leader, RENEWED)).toBeGreaterThanOrEqual(renewed + 3);
        expect(timesLogged(other, HELD_BY_ANOTHER)).toBeGreaterThanOrEqual(tried + 3);
      },
      { timeout: 10_000 },
    );
    expect(leaders()).toEqual([leader]);
    expect(leader.callbacks).toEqual(['started']);
    expect(candidates.find((candidate) => candidate !== leader)!.callbacks).toEqual([]);

    const { spec } = await readLease();
    expect(spec).toMatchObject({ holderIdentity: leader.identity, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(spec!.acquireTime).toBeDefined();
    expect(new Date(spec!.renewTime!).getTime()).toBeGreaterThanOrEqual(new Date(spec!.acquireTime!).getTime());
  });

  it('hands the lead over at once when the leader stops with release', async () => {
    // A lease of a minute: within the wait below, only the release can explain a takeover.
    const slowExpiry = { leaseDurationSeconds: 60 };
    const leader = newCandidate('operator-0', slowExpiry);
    leader.elector.run();
    await vi.waitFor(() => expect(leader.elector.isLeader).toBe(true));
    const firstTerm = (await readLease()).spec!;
    const successor = newCandidate('operator-1', slowExpiry);
    successor.elector.run();

    await leader.elector.stop();
    expect(leader.elector.isLeader).toBe(false);
    expect(leader.callbacks).toEqual(['started', 'stopped']);
    await vi.waitFor(() => expect(successor.elector.isLeader).toBe(true), { timeout: 10_000 });
    expect(successor.callbacks).toEqual(['started']);

    const secondTerm = (await readLease()).spec!;
    expect(secondTerm).toMatchObject({ holderIdentity: 'operator-1', leaseTransitions: 1, leaseDurationSeconds: 60 });
    expect(new Date(secondTerm.acquireTime!).getTime()).toBeGreaterThan(new Date(firstTerm.acquireTime!).getTime());
  });

  it('takes over once the lease has expired when the leader stops without release, as after a crash', async () => {
    const leader = newCandidate('operator-0');
    const successor = newCandidate('operator-1');
    leader.elector.run();
    await vi.waitFor(() => expect(leader.elector.isLeader).toBe(true));
    successor.elector.run();

    await leader.elector.stop({ release: false });
    expect((await readLease()).spec!.holderIdentity).toBe('operator-0'); // left to expire
    expect(successor.elector.isLeader).toBe(false);
    await vi.waitFor(() => expect(successor.elector.isLeader).toBe(true), { timeout: 10_000 });
    expect((await readLease()).spec).toMatchObject({ holderIdentity: 'operator-1', leaseTransitions: 1 });
  });

  it('stops leading when another holder has taken the Lease', async () => {
    const leader = newCandidate('operator-0');
    leader.elector.run();
    await vi.waitFor(() => expect(leader.elector.isLeader).toBe(true));

    const lease = await readLease();
    const now = new V1MicroTime();
    await coordination.replaceNamespacedLease({
      namespace: NAMESPACE,
      name: leaseName,
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', acquireTime: now, renewTime: now } },
    });
    await vi.waitFor(() => expect(leader.callbacks).toEqual(['started', 'stopped']));
    expect(leader.elector.isLeader).toBe(false);
  });

  it('stops leading when it cannot renew, before a candidate can take the expired lease over', async () => {
    const relay = await startRelay(new URL(kubeConfig.getCurrentCluster()!.server));
    try {
      const leader = newCandidate('operator-0', { kubeConfig: kubeConfigThrough(relay.port) });
      leader.elector.run();
      await vi.waitFor(() => expect(leader.elector.isLeader).toBe(true));
      const successor = newCandidate('operator-1');
      successor.elector.run();
      await relay.cut(); // the leader is cut off from the API server, the successor is not
      await vi.waitFor(() => expect(successor.elector.isLeader).toBe(true), { timeout: 10_000 });
      expect(leader.elector.isLeader).toBe(false);
      expect(timeline).toEqual(['operator-0 started', 'operator-0 stopped', 'operator-1 started']);
    } finally {
      await relay.cut();
    }
  });

  it('keeps leading when onStartedLeading throws, and clears its name from the Lease when stopped with release', async () => {
    const leader = newCandidate('operator-0', {
      onStartedLeading: () => {
        throw new Error('could not start the reconcilers');
      },
    });
    leader.elector.run();
    await vi.waitFor(() => expect(leader.elector.isLeader).toBe(true));
    await vi.waitFor(() => expect(timesLogged(leader, RENEWED)).toBeGreaterThanOrEqual(2), { timeout: 10_000 }); // renewals go on
    expect(leader.elector.isLeader).toBe(true);
    await leader.elector.stop();
    expect(leader.callbacks).toEqual(['stopped']);
    expect((await readLease()).spec!.holderIdentity).toBeUndefined();
  });

  it('refuses timings with which a leader could outlive its lease', () => {
    expect(() => newCandidate('operator-0', { leaseDurationSeconds: 2, renewDeadlineMs: 2_000 })).toThrow(
      /renewDeadlineMs must be shorter/,
    );
    expect(() => newCandidate('operator-0', { renewDeadlineMs: 1_000, retryPeriodMs: 1_000 })).toThrow(/retryPeriodMs must be well below/);
    candidates = [];
  });
});

/** The test's kube-config, but reaching the API server through the relay on `port`. */
function kubeConfigThrough(port: number): KubeConfig {
  const cluster = kubeConfig.getCurrentCluster()!;
  const relayed = new KubeConfig();
  relayed.loadFromOptions({
    clusters: [{ ...cluster, server: `https://127.0.0.1:${port}` }],
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return relayed;
}

/** A TCP relay to the API server; `cut` refuses new connections and breaks the open ones, like a partition. */
async function startRelay(target: URL): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    port: (server.address() as AddressInfo).port,
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise((closed) => server.close(closed));
    },
  };
}
