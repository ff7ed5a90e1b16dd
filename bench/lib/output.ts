// What a benchmark prints and how it refuses: the figures on stdout, its progress on stderr,
// a bad setting or a failed precondition as a message, not a stack trace.

/** A condition that stops the bench with a message, not a stack trace. */
export class BenchError extends Error {}

export const out = (text: string): void => void process.stdout.write(`${text}\n`);
export const log = (text: string): void => void process.stderr.write(`[bench] ${text}\n`);

/** A target met or missed. */
export interface Check {
  pass: boolean;
}
export const mark = (check: Check): string => (check.pass ? 'PASS' : 'MISS');

/** A figure with two decimals, or a dash when it was not measured. */
export const ms = (x: number | null | undefined): string => (Number.isFinite(x) ? (x as number).toFixed(2) : '—');

/**
 * `int(name, fallback, min, max)` over `env`: a whole number within bounds, or the fallback
 * with the problem added to `problems` (a bench refuses to start naming every bad variable).
 */
export function wholeNumberReader(env: NodeJS.ProcessEnv, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}="${raw}" must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
}

/** The table every phase prints: figure, n, p50, p95, p99, target, result. */
export function printTable(rows: string[][]): void {
  const header = ['figure (ms unless said)', 'n', 'p50', 'p95', 'p99', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(line(header));
  out(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));
}

/** CPU per party in percent of one core (see cpu.ts), with `other` and `machinePercent`. */
export type CpuShares = Record<string, number> & { other: number; machinePercent: number };

/**
 * CPU per series, in percent of one core, one column per party; returns the series during
 * which other work used more than a quarter of a core.
 */
export function printCpu(title: string, phases: [string, CpuShares][]): string[] {
  out(title);
  const cols = Object.keys(phases[0]![1]).filter((k) => k !== 'machinePercent');
  const label = (k: string) => (k === 'controlPlane' ? 'ctl plane' : k);
  out(`  ${'phase'.padEnd(26)}${cols.map((c) => label(c).padStart(10)).join('')}  machine`);
  for (const [name, c] of phases) out(`  ${name.padEnd(26)}${cols.map((k) => `${c[k]}%`.padStart(10)).join('')}  ${c.machinePercent}%`);
  return phases.filter(([, c]) => c.other > 25).map(([name]) => name);
}
