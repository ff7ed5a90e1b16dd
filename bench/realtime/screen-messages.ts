// What the main thread and a screens' worker thread (screens-worker.ts) say to each other.
// Times are epoch milliseconds with sub-millisecond precision (measure.ts `epochMs`), on the
// worker's clock until screens.ts puts them on the main thread's.

/** One screen to open: the server, which cell it is (0 or 1), and, on a cell, who signs in where. */
export interface ScreenTarget {
  url: string;
  cell: number;
  token?: string;
  tenantSlug?: string;
  locationId?: string;
}

/** The payload of a `dashboard.delta` or `payment.received`, as far as the bench reads it. */
export interface ScreenEvent {
  orderId?: string;
  succeeded?: boolean;
  discrepancy?: unknown;
  [field: string]: unknown;
}

/** How far one event of one order got: how many screens, the first and the last, the last on each cell. */
export interface Delivery {
  key: string;
  complete: boolean;
  count: number;
  firstAt?: number | null;
  lastAt?: number | null;
  lastOnCell?: (number | null)[];
  first?: ScreenEvent | null;
}

/** What the screens saw besides the awaited events, reported when they close. */
export interface ScreensCheck {
  connected?: number;
  unexpectedDisconnects?: number;
  firstDisconnects?: string[];
  strayEvents?: number;
  clockOffsetMs?: number;
  clockRoundTripMs?: number;
}

export type ToScreens =
  | { type: 'open'; screens: ScreenTarget[]; batch: number }
  | { type: 'expect'; key: string; timeoutMs: number }
  | { type: 'forget'; key: string }
  | { type: 'clock' }
  | { type: 'close' };

export type FromScreens =
  | { type: 'opened' }
  | ({ type: 'delivered' } & Delivery)
  | { type: 'clock'; at: number }
  | { type: 'closed'; check: ScreensCheck }
  | { type: 'failed'; message: string };
