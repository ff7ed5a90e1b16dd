// The operator's own count of its work during each measurement: reconcile passes and their
// time, per kind and outcome, read from its /metrics before and after.
import http from 'node:http';

/** Per kind: passes that succeeded, passes that failed, and their total seconds. */
type ReconcileCounters = Record<string, { ok?: number; error?: number; seconds?: number }>;
export type Reconciles = Record<string, { ok: number; error: number; seconds: number }>;

/** Reconcile passes and their time so far, per kind and outcome, from the operator's /metrics. */
export async function operatorMetrics(port: number): Promise<ReconcileCounters> {
  const text = await new Promise<string>((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', () => resolve(''));
  });
  const figures: ReconcileCounters = {};
  for (const line of text.split('\n')) {
    let match = /^operator_reconciles_total\{kind="(\w+)",outcome="(\w+)"\} (\S+)/.exec(line);
    if (match) {
      const kind = (figures[match[1]!] ??= {});
      kind[match[2] as 'ok' | 'error'] = Number(match[3]);
      continue;
    }
    match = /^operator_reconcile_seconds_sum\{kind="(\w+)"\} (\S+)/.exec(line);
    if (match) {
      figures[match[1]!] ??= {};
      figures[match[1]!]!.seconds = Number(match[2]);
    }
  }
  return figures;
}

/** What the counters grew by between two readings. */
export function metricsDelta(before: ReconcileCounters, after: ReconcileCounters): Reconciles {
  const delta: Reconciles = {};
  for (const kind of Object.keys(after)) {
    const was = before[kind] ?? {};
    const now = after[kind]!;
    delta[kind] = {
      ok: (now.ok ?? 0) - (was.ok ?? 0),
      error: (now.error ?? 0) - (was.error ?? 0),
      seconds: Math.round(((now.seconds ?? 0) - (was.seconds ?? 0)) * 100) / 100,
    };
  }
  return delta;
}
