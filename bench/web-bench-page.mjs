// What `make bench-web` runs inside the pages it measures (bench/web-bench.mjs passes these
// functions to Playwright, which sends their source to the browser): they use only the
// browser's own globals and their arguments, never anything of this module's scope.

/**
 * Runs in the page before its own scripts: stores the session when the origin has none,
 * and records long tasks and the moment the screen's main control appears.
 */
export function instrumentPage({ origin, session, readySelector }) {
  if (location.origin === origin && !localStorage.getItem('localstore.session'))
    localStorage.setItem('localstore.session', JSON.stringify(session));
  const bench = { longTasks: [], readyAt: null };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const seen = () => {
    if (bench.readyAt === null && document.querySelector(readySelector)) {
      bench.readyAt = performance.now();
      watcher.disconnect();
    }
  };
  const watcher = new MutationObserver(seen);
  watcher.observe(document, { childList: true, subtree: true });
}

/** The page's figures so far, read by the bench until five quiet seconds have passed. */
export function loadState() {
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
export function armSavedWatch() {
  window.__saved = new Promise((resolve) => {
    const button = document.querySelector('[data-testid=record-sale]');
    let tappedAt = null;
    button.addEventListener(
      'pointerdown',
      (event) => {
        // The event's own time stamp counts the input delay; fall back if the platform gave none.
        tappedAt = event.timeStamp > 0 && event.timeStamp <= performance.now() ? event.timeStamp : performance.now();
      },
      { once: true, capture: true },
    );
    const isSavedToast = (node) => node.nodeType === 1 && node.matches('[data-testid=toast].toast-success');
    const watcher = new MutationObserver((records) => {
      if (tappedAt === null) return;
      if (!records.some((r) => [...r.addedNodes].some(isSavedToast))) return;
      watcher.disconnect();
      const addedAt = performance.now();
      requestAnimationFrame(() => resolve({ tapToToastMs: addedAt - tappedAt, tapToFrameMs: performance.now() - tappedAt }));
    });
    watcher.observe(document.body, { childList: true, subtree: true });
  });
}

/** Waits for the watch `armSavedWatch` set: the tap's two times, in ms. */
export function savedResult() {
  return window.__saved;
}
