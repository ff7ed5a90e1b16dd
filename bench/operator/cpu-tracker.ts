// CPU per party while the promotion and the bulk apply run: the operator, the API server,
// the control plane, the cells, PostgreSQL, kubectl, this process and the rest of the
// machine, in percent of one core. Sampled through a measurement rather than snapshot at its
// ends (bench/lib/cpu.ts's withCpu), on the same /proc readings.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { cpuSecondsOfStat, machineBusySeconds, processOfStat, uptimeSeconds } from '../lib/cpu';
import type { CpuShares } from '../lib/output';

/** The parties watched by pid: functions, so a cell started meanwhile counts. */
export type Parties = Record<string, () => number | number[] | null | undefined>;

interface Seen {
  party: string;
  first: number;
  last: number;
}

/** comm, CPU seconds (user + system) and start time of a process, or null when it ended while we looked. */
function processStat(pid: string): { comm: string; cpuSeconds: number; startedAfterBootSeconds: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { ...processOfStat(text), cpuSeconds: cpuSecondsOfStat(text) };
  } catch {
    return null;
  }
}

/**
 * CPU per party over a measurement, sampled every 500 ms from /proc (Linux only; null
 * elsewhere). Unlike a snapshot at both ends, a process that ends meanwhile keeps what it
 * used until its last sample: the operator's pool closes its idle PostgreSQL sessions after
 * 10 s, and the backend that copied for two minutes must not vanish into "other". Parties:
 * processes by pid, every `postgres` and `kubectl` process, this process, and the rest of the
 * machine.
 */
export class CpuTracker {
  private readonly seen = new Map<string, Seen>();
  private uptimeAtStart = 0;
  private machineAtStart = 0;
  private clientAtStart: NodeJS.CpuUsage | undefined;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly parties: Parties) {}

  start(): this {
    try {
      this.uptimeAtStart = uptimeSeconds();
      this.machineAtStart = machineBusySeconds();
    } catch {
      return this;
    }
    this.clientAtStart = process.cpuUsage();
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
    return this;
  }

  private sample(): void {
    const named = new Map<string, string>();
    for (const [party, pids] of Object.entries(this.parties))
      for (const pid of ([] as (number | null | undefined)[]).concat(pids() ?? [])) if (pid) named.set(String(pid), party);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      const party = named.get(entry);
      if (!party && !this.seen.has(entry)) {
        // Cheap filter first: only postgres and kubectl are counted by name.
        const stat = processStat(entry);
        if (!stat || (stat.comm !== 'postgres' && stat.comm !== 'kubectl')) continue;
        this.record(entry, stat.comm === 'postgres' ? 'postgres' : 'kubectl', stat);
        continue;
      }
      const stat = processStat(entry);
      if (stat) this.record(entry, party ?? this.seen.get(entry)!.party, stat);
    }
  }

  private record(pid: string, party: string, stat: { cpuSeconds: number; startedAfterBootSeconds: number }): void {
    const known = this.seen.get(pid);
    if (known) {
      known.last = stat.cpuSeconds;
      return;
    }
    // Started after the measurement began: everything it used counts.
    const first = stat.startedAfterBootSeconds > this.uptimeAtStart ? 0 : stat.cpuSeconds;
    this.seen.set(pid, { party, first, last: stat.cpuSeconds });
  }

  /** Percent of one core per party, `other` and `machinePercent` (of all cores); null when not measured. */
  stop(): CpuShares | null {
    if (!this.timer) return null;
    clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const percent = (cpuSeconds: number) => Math.max(0, Math.round((cpuSeconds / wallSeconds) * 100));
    const byParty: Record<string, number> = {};
    for (const party of [...Object.keys(this.parties), 'postgres', 'kubectl']) byParty[party] = 0;
    for (const { party, first, last } of this.seen.values()) byParty[party]! += last - first;
    const client = process.cpuUsage(this.clientAtStart);
    byParty.client = (client.user + client.system) / 1e6;
    const machine = machineBusySeconds() - this.machineAtStart;
    const accounted = Object.values(byParty).reduce((a, b) => a + b, 0);
    const usage = Object.fromEntries(Object.entries(byParty).map(([party, cpuSeconds]) => [party, percent(cpuSeconds)]));
    return { ...usage, other: percent(machine - accounted), machinePercent: Math.round(percent(machine) / os.cpus().length) } as CpuShares;
  }
}

/** Runs `work` and returns its result with the CPU each party used meanwhile (see CpuTracker). */
export async function withCpuTracked<T>(parties: Parties, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShares | null }> {
  const tracker = new CpuTracker(parties).start();
  try {
    const result = await work();
    return { result, cpu: tracker.stop() };
  } finally {
    tracker.stop();
  }
}
