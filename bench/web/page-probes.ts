// What `make bench-web` runs inside the pages it measures: web-bench passes these functions to
// Playwright, which sends their source to the browser. They use only the browser's own
// globals and their arguments, never anything of this module's scope. They hold no named
// inner function either (no `const f = () => …`, no inner `function f`): tsx compiles with
// esbuild's keepNames, which wraps those in a `__name(…)` helper the page does not have.

/** What `instrumentPage` is given: the origin and session to store, and the screen's main control. */
export interface Instrument {
  origin: string;
  session: unknown;
  readySelector: string;
}

export interface LongTask {
  start: number;
  end: number;
}

/** The page's figures so far (ms from navigation start). */
export interface LoadState {
  now: number;
  readyAt: number | null;
  lastEnd: number;
  longTasks: LongTask[];
  fcp: number | null;
  controlled: boolean;
}

/** From the tap on "Ghi đơn" to the saved toast added, and to the frame after it (ms). */
export interface SavedTimes {
  tapToToastMs: number;
  tapToFrameMs: number;
}

interface PageBench {
  longTasks: LongTask[];
  readyAt: number | null;
}

declare global {
  interface Window {
    __bench: PageBench;
    __saved: Promise<SavedTimes>;
  }
}

/**
 * Runs in the page before its own scripts: stores the session when the origin has none,
 * and records long tasks and the moment the screen's main control appears.
 */
export function instrumentPage({ origin, session, readySelector }: Instrument): void {
  if (location.origin === origin && !localStorage.getItem('localstore.session'))
    localStorage.setItem('localstore.session', JSON.stringify(session));
  const bench: PageBench = { longTasks: [], readyAt: null };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const watcher = new MutationObserver(() => {
    if (bench.readyAt === null && document.querySelector(readySelector)) {
      bench.readyAt = performance.now();
      watcher.disconnect();
    }
  });
  watcher.observe(document, { childList: true, subtree: true });
}

/** The page's figures so far, read by the bench until five quiet seconds have passed. */
export function loadState(): LoadState {
  const bench = window.__bench;
  const lastEnd = bench.longTasks.reduce((end, t) => Math.max(end, t.end), 0);
  const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
  return {
    now: performance.now(),
    readyAt: bench.readyAt,
    lastEnd,
    longTasks: bench.longTasks,
    fcp,
    controlled: Boolean(navigator.serviceWorker?.controller),
  };
}

/**
 * Arms a watch for the next sale: the record button's pointerdown time stamp, then the frame
 * after a new "saved" toast (success kind) is added to the page.
 */
export function armSavedWatch(): void {
  window.__saved = new Promise((resolve) => {
    const button = document.querySelector('[data-testid=record-sale]')!;
    let tappedAt: number | null = null;
    button.addEventListener(
      'pointerdown',
      (event) => {
        // The event's own time stamp counts the input delay; fall back if the platform gave none.
        tappedAt = event.timeStamp > 0 && event.timeStamp <= performance.now() ? event.timeStamp : performance.now();
      },
      { once: true, capture: true },
    );
    const watcher = new MutationObserver((records) => {
      if (tappedAt === null) return;
      const tapped = tappedAt;
      if (
        !records.some((r) =>
          [...r.addedNodes].some((node) => node.nodeType === 1 && (node as Element).matches('[data-testid=toast].toast-success')),
        )
      )
        return;
      watcher.disconnect();
      const addedAt = performance.now();
      requestAnimationFrame(() => resolve({ tapToToastMs: addedAt - tapped, tapToFrameMs: performance.now() - tapped }));
    });
    watcher.observe(document.body, { childList: true, subtree: true });
  });
}

/** Waits for the watch `armSavedWatch` set: the tap's two times, in ms. */
export function savedResult(): Promise<SavedTimes> {
  return window.__saved;
}
