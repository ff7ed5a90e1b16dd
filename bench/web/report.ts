// `make bench-web`'s report: per screen, JavaScript transferred and time to interactive on first
// and repeat visits, and tap to saved, against the budget and the design's mobile targets.
import { summarize, type Summary } from '../lib/measure';
import { out, printTable } from '../lib/output';
import type { LoadFigures, ScreenFigures } from './page-load';
import type { WebBenchSettings } from './settings';
import type { TapFigures } from './tap-to-saved';

/** The budget, and the design document's mobile targets (its "4G" section). */
export const WEB_TARGETS = {
  salesJsKb: 200,
  coldStartMs: 3_000,
  dashboardWithCacheMs: 2_000,
  /** The design's p95 for a GraphQL mutation: the tap adds the browser's own work to it. */
  tapToSavedMs: 300,
};

export interface WebResults {
  sales: ScreenFigures;
  owner: ScreenFigures;
  taps: TapFigures;
  environment: { chromium: string; machineBusyBeforeStartPercent: number | null; directorySchema: string };
}

/** Whether a figure's p95 is under its target, and that p95. */
export interface UnderTarget {
  pass: boolean;
  p95: number;
}

export interface WebVerdicts {
  salesJs: UnderTarget;
  salesColdStart: UnderTarget;
  dashboardColdStart: UnderTarget;
  dashboardWithCache: UnderTarget;
  tapToSaved: UnderTarget;
}

type TimeKey = 'fcpMs' | 'interactiveMs' | 'blockingMs';
type KbKey = 'scriptKbOverNetwork' | 'scriptKbDecoded' | 'allKbOverNetwork';

const p = (samples: LoadFigures[], key: TimeKey) =>
  summarize(
    samples.map((s) => s[key]).filter((x): x is number => x !== null),
    0,
  );
const row = (figure: string, s: Summary, target = '—', pass: boolean | null = null) => [
  figure,
  String(s.n),
  String(s.p50),
  String(s.p95),
  String(s.p99),
  target,
  pass === null ? '' : pass ? 'PASS' : 'MISS',
];
const kbRow = (figure: string, samples: LoadFigures[], key: KbKey, target = '—', pass: boolean | null = null) => {
  const s = summarize(
    samples.map((x) => x[key]),
    1,
  );
  return row(figure, s, target, pass);
};

const under = (summary: Summary, target: number): UnderTarget => ({ pass: summary.p95 < target, p95: summary.p95 });

interface MarkedCheck {
  target: string | number;
  verdict: UnderTarget;
}

/**
 * The rows every screen has, first and repeat visit; `checks` (verdicts with their targets)
 * marks the JavaScript, first-visit and repeat-visit figures that have one.
 */
function screenRows(
  name: string,
  { first, repeat }: ScreenFigures,
  checks: { js?: MarkedCheck; first?: MarkedCheck; repeat?: MarkedCheck },
): string[][] {
  const marked = (check: MarkedCheck | undefined): [string?, boolean?] => (check ? [`< ${check.target}`, check.verdict.pass] : []);
  return [
    kbRow(`${name}: JS transferred, first visit (KB gzip)`, first, 'scriptKbOverNetwork', ...marked(checks.js)),
    kbRow(`${name}: JS decoded, first visit (KB)`, first, 'scriptKbDecoded'),
    kbRow(`${name}: everything transferred, first (KB)`, first, 'allKbOverNetwork'),
    row(`${name}: first paint, first visit`, p(first, 'fcpMs')),
    row(`${name}: time to interactive, first visit`, p(first, 'interactiveMs'), ...marked(checks.first)),
    row(`${name}: total blocking time, first visit`, p(first, 'blockingMs')),
    kbRow(`${name}: JS transferred, repeat visit (KB)`, repeat, 'scriptKbOverNetwork'),
    row(`${name}: time to interactive, repeat visit`, p(repeat, 'interactiveMs'), ...marked(checks.repeat)),
  ];
}

export function report(settings: WebBenchSettings, results: WebResults): WebVerdicts {
  const { sales, owner, taps } = results;
  const verdicts: WebVerdicts = {
    salesJs: under(
      summarize(
        sales.first.map((s) => s.scriptKbOverNetwork),
        1,
      ),
      WEB_TARGETS.salesJsKb,
    ),
    salesColdStart: under(p(sales.first, 'interactiveMs'), WEB_TARGETS.coldStartMs),
    dashboardColdStart: under(p(owner.first, 'interactiveMs'), WEB_TARGETS.coldStartMs),
    dashboardWithCache: under(p(owner.repeat, 'interactiveMs'), WEB_TARGETS.dashboardWithCacheMs),
    tapToSaved: under(summarize(taps.tapToFrameMs, 0), WEB_TARGETS.tapToSavedMs),
  };
  out('');
  out(
    `The web app in Chromium ${results.environment.chromium}, CPU slowed ${settings.cpuSlowdown}×, loopback network; ${settings.loads} first and repeat visits per screen, ${settings.sales} sales.`,
  );
  out('');
  printTable([
    ...screenRows('sales', sales, {
      js: { target: `${WEB_TARGETS.salesJsKb} KB`, verdict: verdicts.salesJs },
      first: { target: WEB_TARGETS.coldStartMs, verdict: verdicts.salesColdStart },
    }),
    row('sales: tap "Ghi đơn" → saved toast added', summarize(taps.tapToToastMs, 0)),
    row(
      'sales: tap "Ghi đơn" → saved toast on screen',
      summarize(taps.tapToFrameMs, 0),
      `< ${WEB_TARGETS.tapToSavedMs}`,
      verdicts.tapToSaved.pass,
    ),
    row('sales: its recordSale request → answer', summarize(taps.requestMs, 0)),
    ...screenRows('dashboard', owner, {
      first: { target: WEB_TARGETS.coldStartMs, verdict: verdicts.dashboardColdStart },
      repeat: { target: WEB_TARGETS.dashboardWithCacheMs, verdict: verdicts.dashboardWithCache },
    }),
  ]);
  const uncontrolled = [...sales.repeat, ...owner.repeat].filter((s) => !s.controlled).length;
  out('');
  out(
    `Repeat visits served by the service worker: ${sales.repeat.length + owner.repeat.length - uncontrolled} of ${sales.repeat.length + owner.repeat.length}. Orders recorded by the taps: ${taps.ordersRecorded} (checked in the cell).`,
  );
  return verdicts;
}
