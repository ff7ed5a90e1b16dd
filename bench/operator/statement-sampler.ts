// Where the promotion's database time goes: the operator's statements on the copy sampled
// every 200 ms from pg_stat_activity, per promotion step, by what they do and what they wait for.
import type pg from 'pg';
import { sleep } from './time';

/** Per step: the five statements that ran longest (seconds, sampled) and the share (%) of each wait. */
export type DatabaseTime = Record<string, { statements: Record<string, number>; waits: Record<string, number> }>;

/** What an operator statement does, from its text (tenant-row-copier.ts), and on which table. */
export function classifyStatement(query: string): string {
  const table = (pattern: RegExp) => pattern.exec(query)?.[1] ?? '?';
  if (/^\s*WITH batch AS/.test(query)) return `copy ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/md5\(/.test(query)) return `verify ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/^\s*WITH k AS/.test(query)) return `catch-up read ${table(/FROM "[^"]+"\."([^"]+)" s JOIN k/)}`;
  if (/json_populate_recordset/.test(query) && /ON CONFLICT/.test(query))
    return `catch-up write ${table(/INSERT INTO "[^"]+"\."([^"]+)"/)}`;
  if (/^\s*WITH doomed AS/.test(query)) return `remove ${table(/FROM "[^"]+"\."([^"]+)"/)}`;
  if (/json_array_elements/.test(query)) return `catch-up delete ${table(/DELETE FROM "[^"]+"\."([^"]+)"/)}`;
  return query.replace(/\s+/g, ' ').trim().slice(0, 40);
}

interface StepFigures {
  statements: Map<string, number>;
  waits: Map<string, number>;
  samples: number;
}

/**
 * Samples the operator's statements on the copy every 200 ms (pg_stat_activity, seen by the
 * schema owner, the role the operator moves rows as): which statement of which step runs,
 * and what it waits for (no wait event: on CPU). Samples × 200 ms ≈ database time.
 */
export class StatementSampler {
  private readonly byStep = new Map<string, StepFigures>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly database: string,
    private readonly stepNow: () => string | undefined,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        try {
          const { rows } = await this.pool.query<{ query: string; wait: string }>(
            `SELECT query, coalesce(wait_event_type, 'CPU') AS wait FROM pg_stat_activity
              WHERE datname = $1 AND application_name = 'localstore-operator' AND state = 'active' AND pid <> pg_backend_pid()`,
            [this.database],
          );
          const step = this.stepNow() ?? 'before CreatingCell';
          let figures = this.byStep.get(step);
          if (!figures) this.byStep.set(step, (figures = { statements: new Map(), waits: new Map(), samples: 0 }));
          for (const row of rows) {
            const what = classifyStatement(row.query);
            figures.statements.set(what, (figures.statements.get(what) ?? 0) + 1);
            figures.waits.set(row.wait, (figures.waits.get(row.wait) ?? 0) + 1);
            figures.samples++;
          }
        } catch {
          // a missed sample
        }
        await sleep(Math.max(0, 200 - (performance.now() - started)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Per step: statement → seconds (sampled), the top five, and the share of each wait. */
  summary(): DatabaseTime {
    const result: DatabaseTime = {};
    for (const [step, figures] of this.byStep) {
      const top = [...figures.statements].sort((a, b) => b[1] - a[1]).slice(0, 5);
      result[step] = {
        statements: Object.fromEntries(top.map(([what, n]) => [what, Math.round(n * 2) / 10])),
        waits: Object.fromEntries(
          [...figures.waits].sort((a, b) => b[1] - a[1]).map(([wait, n]) => [wait, Math.round((n / figures.samples) * 100)]),
        ),
      };
    }
    return result;
  }
}
