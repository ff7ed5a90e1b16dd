// One screen's load on a person's device: JavaScript transferred (the encoded bytes of every
// script response the page itself received, from CDP's Network domain; the service worker's
// precache fetches run in its own target and are not counted) and time to interactive (from
// navigation start to the later of "the main control is there" and the end of the last long
// task before five quiet seconds: Lighthouse's rule, with the main control in place of the
// first paint). First visits in a new context (no cache, no service worker), repeat visits by
// a second navigation in it.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { PHONE, TABLET } from '@localstore/flows/harness/chromium';
import { BenchError, log } from '../lib/output';
import { instrumentPage, type Instrument, loadState, type LoadState } from './page-probes';
import type { StoredSession } from './sessions';

/** Lighthouse's quiet window: interactive once no long task has run for this long. */
const QUIET_WINDOW_MS = 5_000;

export type ScreenSize = typeof PHONE | typeof TABLET;

export interface TransferTotals {
  scriptKbOverNetwork: number;
  scriptKbDecoded: number;
  scriptFiles: number;
  allKbOverNetwork: number;
}

/** One page load's figures (ms from navigation start). */
export interface LoadFigures extends TransferTotals {
  interactiveMs: number;
  readyMs: number | null;
  fcpMs: number | null;
  blockingMs: number;
  controlled: boolean;
}

export interface ScreenFigures {
  first: LoadFigures[];
  repeat: LoadFigures[];
}

export interface Device {
  context: BrowserContext;
  page: Page;
  meter: TransferMeter;
}

interface Transfer {
  script: boolean;
  local: boolean;
  encoded: number;
  decoded: number;
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Encoded and decoded bytes of what the page received, scripts apart, from CDP's Network domain. */
class TransferMeter {
  private readonly requests = new Map<string, Transfer>();

  constructor(cdp: CDPSession) {
    cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
      const entry = this.entry(requestId);
      entry.script = type === 'Script';
      entry.local = Boolean(response.fromServiceWorker || response.fromDiskCache || response.fromPrefetchCache);
    });
    cdp.on('Network.dataReceived', ({ requestId, dataLength }) => (this.entry(requestId).decoded += dataLength));
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => (this.entry(requestId).encoded = encodedDataLength));
    cdp.on('Network.requestServedFromCache', ({ requestId }) => (this.entry(requestId).local = true));
  }

  private entry(requestId: string): Transfer {
    let entry = this.requests.get(requestId);
    if (!entry) this.requests.set(requestId, (entry = { script: false, local: false, encoded: 0, decoded: 0 }));
    return entry;
  }

  reset(): void {
    this.requests.clear();
  }

  totals(): TransferTotals {
    const sum = (filter: (e: Transfer) => boolean, key: 'encoded' | 'decoded') =>
      [...this.requests.values()].filter(filter).reduce((n, e) => n + e[key], 0);
    const overNetwork = (e: Transfer) => !e.local;
    return {
      scriptKbOverNetwork: kb(sum((e) => e.script && overNetwork(e), 'encoded')),
      scriptKbDecoded: kb(sum((e) => e.script, 'decoded')),
      scriptFiles: [...this.requests.values()].filter((e) => e.script).length,
      allKbOverNetwork: kb(sum(overNetwork, 'encoded')),
    };
  }
}

/** Navigates and waits for the page to be interactive; returns its times (ms from navigation start). */
export async function measureLoad(page: Page, meter: TransferMeter, url: string): Promise<LoadFigures> {
  meter.reset();
  await page.goto(url, { waitUntil: 'commit' });
  const deadline = Date.now() + 60_000;
  let state: LoadState;
  let readyAt: number;
  for (;;) {
    state = await page.evaluate(loadState);
    if (state.readyAt !== null && state.now - Math.max(state.readyAt, state.lastEnd) >= QUIET_WINDOW_MS) {
      readyAt = state.readyAt;
      break;
    }
    if (Date.now() > deadline)
      throw new BenchError(
        `${url} was not interactive within 60 s (main control ${state.readyAt === null ? 'never appeared' : `at ${Math.round(state.readyAt)} ms`})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const interactiveAt = Math.max(readyAt, state.lastEnd);
  // Total blocking time: what each long task between first paint and interactive held past 50 ms.
  const blocking = state.longTasks
    .filter((t) => t.start >= (state.fcp ?? 0) && t.end <= interactiveAt)
    .reduce((n, t) => n + Math.max(0, t.end - t.start - 50), 0);
  return {
    interactiveMs: interactiveAt,
    readyMs: state.readyAt,
    fcpMs: state.fcp,
    blockingMs: blocking,
    controlled: state.controlled,
    ...meter.totals(),
  };
}

/** A context and page as a person's device: size, touch, Vietnamese, Hanoi time, the slowed CPU. */
export async function openDevice(browser: Browser, cpuSlowdown: number, size: ScreenSize, instrument: Instrument): Promise<Device> {
  const context = await browser.newContext({ ...size, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await context.addInitScript(instrumentPage, instrument);
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  await cdp.send('Network.enable');
  return { context, page, meter: new TransferMeter(cdp) };
}

export interface Screen {
  name: string;
  size: ScreenSize;
  url: string;
  instrumentFor: (session: StoredSession) => Instrument;
  sessions: StoredSession[];
}

/**
 * `loads` first visits, each followed by a repeat visit in the same context. Each context is
 * its own device with its own session: two devices never rotate the same refresh token.
 */
export async function measureScreen(
  browser: Browser,
  settings: { loads: number; cpuSlowdown: number },
  { size, url, instrumentFor, sessions, name }: Screen,
): Promise<ScreenFigures> {
  const first: LoadFigures[] = [];
  const repeat: LoadFigures[] = [];
  for (let i = 0; i < settings.loads; i++) {
    const device = await openDevice(browser, settings.cpuSlowdown, size, instrumentFor(sessions[i]!));
    let firstVisit: LoadFigures;
    let repeatVisit: LoadFigures;
    try {
      firstVisit = await measureLoad(device.page, device.meter, url);
      first.push(firstVisit);
      // The repeat visit is the one the service worker serves: wait until it is active.
      await device.page.evaluate(() => navigator.serviceWorker?.ready);
      repeatVisit = await measureLoad(device.page, device.meter, url);
      repeat.push(repeatVisit);
    } finally {
      await device.context.close();
    }
    log(
      `${name}: load ${i + 1}/${settings.loads}: first visit interactive at ${Math.round(firstVisit.interactiveMs)} ms, repeat at ${Math.round(repeatVisit.interactiveMs)} ms`,
    );
  }
  return { first, repeat };
}
