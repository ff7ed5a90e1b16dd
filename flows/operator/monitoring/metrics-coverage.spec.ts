import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { TestCell } from '@localstore/cell-api/testing';
import { freePort } from '@localstore/common/testing';
import { OperatorHarness } from '../../harness/operator-harness';
import { exposedNamesOf, metricNamesOf } from './promql-names';

const CHART = resolve(__dirname, '../../../charts/localstore');
const MODEL_SERVER_METRICS = `http://127.0.0.1:${process.env.LOCALSTORE_MODEL_HTTP_PORT ?? '58080'}/metrics`;
/** Made by Prometheus itself for every target, not by a service. */
const SCRAPE_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

interface RuleFile {
  groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
}

function dashboardExpressions(): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  for (const file of readdirSync(resolve(CHART, 'dashboards')).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(resolve(CHART, 'dashboards', file), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
      templating: { list: { query?: unknown }[] };
    };
    for (const panel of dashboard.panels)
      for (const target of panel.targets) found.push({ where: `${file}: ${panel.title}`, expr: target.expr });
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? /label_values\(([^,)]+)/.exec(variable.query)?.[1] : undefined;
      if (query) found.push({ where: `${file}: variable`, expr: query });
    }
  }
  return found;
}

describe('PromQL metric names', () => {
  it('are read from expressions without their functions, labels, ranges and grouping', () => {
    expect(
      [
        ...metricNamesOf(
          'sum by (cell, le) (rate(cell_graphql_request_duration_seconds_bucket{type="query",le="0.25"}[5m])) / ignoring(le) group_left foo:ratio_rate5m > 14.4 * 0.001',
        ),
      ].sort(),
    ).toEqual(['cell_graphql_request_duration_seconds_bucket', 'foo:ratio_rate5m']);
    expect([...metricNamesOf('max(up{job="localstore-models"}) == 0 or absent(operator_cell_ready)')].sort()).toEqual([
      'operator_cell_ready',
      'up',
    ]);
  });

  it('are exposed by a family declared with # TYPE, samples or not', () => {
    const names = exposedNamesOf('# HELP a_seconds x\n# TYPE a_seconds histogram\n# TYPE b_total counter\nc{x="1"} 3\n');
    for (const name of ['a_seconds_bucket', 'a_seconds_count', 'b_total', 'c']) expect(names).toContain(name);
    expect(names).not.toContain('a_total');
  });
});

/**
 * The dashboards' and alerts' metric names against what the running services expose: a
 * real cell API, control plane (with payments over NATS), operator (its /metrics) and the
 * KServe model server, each scraped over HTTP. A panel or an alert naming a metric no
 * service exposes would be silently empty on the day it is needed.
 */
describe('the dashboards and alert rules', () => {
  let harness: OperatorHarness;
  let cell: TestCell;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    harness = await OperatorHarness.start({ METRICS_PORT: String(metricsPort) }, { payments: true });
    await harness.startOperator();
    cell = await TestCell.start();
  }, 180_000);

  afterAll(async () => {
    await cell?.stop();
    await harness?.stop();
  });

  it('name only metrics that some service exposes', async () => {
    const expositions: Record<string, string> = {};
    for (const [service, url] of Object.entries({
      cell: `${cell.url}/metrics`,
      controlPlane: `${harness.controlPlane.url}/metrics`,
      operator: `http://127.0.0.1:${metricsPort}/metrics`,
      models: MODEL_SERVER_METRICS,
    })) {
      const response = await fetch(url);
      expect(response.status, service).toBe(200);
      expositions[service] = await response.text();
    }
    const exposed = new Set(Object.values(expositions).flatMap((text) => [...exposedNamesOf(text)]));
    // Each service's own families are there (the scrape read the right thing).
    expect(exposedNamesOf(expositions.cell!)).toContain('cell_graphql_request_duration_seconds_bucket');
    expect(exposedNamesOf(expositions.controlPlane!)).toContain('payment_webhooks_total');
    expect(exposedNamesOf(expositions.operator!)).toContain('operator_reconciles_total');
    expect(exposedNamesOf(expositions.models!)).toContain('request_predict_seconds_bucket');

    const rules = parse(readFileSync(resolve(CHART, 'rules/localstore.rules.yaml'), 'utf8')) as RuleFile;
    const recorded = new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
    const uses = [
      ...dashboardExpressions(),
      ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.record ?? r.alert}`, expr: r.expr }))),
    ];
    const missing: string[] = [];
    let names = 0;
    for (const { where, expr } of uses) {
      for (const name of metricNamesOf(expr)) {
        names++;
        if (!exposed.has(name) && !recorded.has(name) && !SCRAPE_SERIES.has(name)) missing.push(`${where}: ${name}`);
      }
    }
    expect(uses.length).toBeGreaterThan(40);
    expect(names).toBeGreaterThan(uses.length);
    expect(missing).toEqual([]);
  });
});
