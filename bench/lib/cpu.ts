// CPU accounting from /proc: how much of the machine each party of a measurement used, so a
// figure taken while other work ran says so. Linux only; elsewhere the shares are null.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { log, type CpuShares } from './output';
import { nowMs } from './measure';

const CLOCK_TICKS = 100; // USER_HZ on every Linux this runs on

/** User + system CPU seconds from the text of /proc/<pid>/stat. */
export function cpuSecondsOfStat(text: string): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Busy CPU seconds of the whole machine so far (all cores, idle and iowait left out). */
export function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) / CLOCK_TICKS;
}

/** The processes a measurement watches by name (the cell, the control plane): name → pid. */
export type Watched = Record<string, number | undefined>;

interface Snapshot {
  processes: Record<string, number | null>;
  client: number;
  postgres: Map<string, number>;
  machine: number;
  at: number;
}

/**
 * CPU seconds used so far by each watched process, this process, every PostgreSQL process
 * and the whole machine. The machine is shared: what is left over is other work, and a large
 * share of it means the figures are disturbed.
 */
function cpuSnapshot(processes: Watched): Snapshot | null {
  try {
    const postgres = new Map<string, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (text.includes(' (postgres) ')) postgres.set(entry, cpuSecondsOfStat(text));
      } catch {
        // The process ended while we looked.
      }
    }
    const own: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(processes)) {
      try {
        own[name] = pid ? cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) : 0;
      } catch {
        own[name] = null; // it exited: its share shows up as "other"
      }
    }
    const self = process.cpuUsage();
    return { processes: own, client: (self.user + self.system) / 1e6, postgres, machine: machineBusySeconds(), at: nowMs() };
  } catch {
    return null;
  }
}

/**
 * Percent of one core each party used between two snapshots (one key per watched process,
 * then `client`, `postgres`, `other`); `machinePercent` is of all cores.
 */
function cpuUsage(before: Snapshot | null, after: Snapshot | null): CpuShares | null {
  if (!before || !after) return null;
  const wall = (after.at - before.at) / 1000;
  const percent = (seconds: number) => Math.max(0, Math.round((seconds / wall) * 100));
  // Per process, so a backend that started meanwhile counts from zero; one that ended
  // meanwhile is lost and its share shows up as "other".
  let postgresSeconds = 0;
  for (const [pid, seconds] of after.postgres) postgresSeconds += seconds - (before.postgres.get(pid) ?? 0);
  const usage: Record<string, number> = {};
  let accounted = postgresSeconds + (after.client - before.client);
  for (const name of Object.keys(after.processes)) {
    const now = after.processes[name];
    const then = before.processes[name];
    const seconds = now === null || now === undefined || then === null || then === undefined ? 0 : now - then;
    usage[name] = percent(seconds);
    accounted += seconds;
  }
  const machineSeconds = after.machine - before.machine;
  return {
    ...usage,
    client: percent(after.client - before.client),
    postgres: percent(postgresSeconds),
    /** Busy time no process above accounts for: other work on the machine. */
    other: percent(machineSeconds - accounted),
    machinePercent: percent(machineSeconds / os.cpus().length),
  };
}

/** Runs `work` and returns its result with the CPU each party (`processes`: name → pid) used meanwhile. */
export async function withCpu<T>(processes: Watched, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShares | null }> {
  const before = cpuSnapshot(processes);
  const result = await work();
  return { result, cpu: cpuUsage(before, cpuSnapshot(processes)) };
}

/**
 * The machine is shared (tests, seeds, builds): before adding anything, wait a bounded
 * time for it to be mostly idle, and return how busy it was in the last second (percent).
 */
export async function waitForQuietMachine(maxSeconds: number): Promise<number | null> {
  const QUIET_PERCENT = 20;
  const deadline = nowMs() + maxSeconds * 1000;
  let busy: number | null = null;
  do {
    const { cpu } = await withCpu({}, () => new Promise((resolve) => setTimeout(resolve, 1_000)));
    busy = cpu?.machinePercent ?? null;
    if (busy === null || busy < QUIET_PERCENT) return busy;
    log(`the machine is ${busy}% busy with other work; waiting for it to settle…`);
  } while (nowMs() < deadline);
  log(`still ${busy}% busy after ${maxSeconds} s: measuring anyway, the figures will be disturbed`);
  return busy;
}

/** The command name and the start time (seconds after boot) from the text of /proc/<pid>/stat. */
export function processOfStat(text: string): { comm: string; startedAfterBootSeconds: number } {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), startedAfterBootSeconds: Number(fields[19]) / CLOCK_TICKS };
}

/** Seconds since boot (/proc/uptime), the clock of a process's start time. */
export function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}
