import type {
  AnomalyDetectedEvent,
  DashboardDelta,
  OrderVoidedEvent,
  PaymentReceivedEvent,
  RecommendationNewEvent,
  SaleRecordedEvent,
} from '@localstore/common';

/**
 * Every event of the cell, by name, with its payload: the one list publishers and
 * subscribers agree on (the payloads' shapes live in common, as the web app applies them
 * too). Each event belongs to one tenant; the bus carries the tenant id beside the
 * payload, never inside it, because the payload is also what a screen receives.
 */
export interface CellEventMap {
  /** A sale committed (SalesService.recordSale). */
  'sale.recorded': SaleRecordedEvent;
  /** A void committed (SalesService.voidOrder). */
  'order.voided': OrderVoidedEvent;
  /** What a sale or a void changed in its location's figures (DashboardDeltas, from the two above). */
  'dashboard.delta': DashboardDelta;
  /** A provider's payment recorded, settled or not (PaymentRecorder). */
  'payment.received': PaymentReceivedEvent;
  /** A payment discrepancy (PaymentRecorder) or an odd hour (AnomalyWatch) recorded. */
  'anomaly.detected': AnomalyDetectedEvent;
  /** New advice stored (InsightsService.refresh), one event per recommendation. */
  'recommendation.new': RecommendationNewEvent;
  /**
   * Not a change of its own: a screen event once its location's journal has numbered it
   * (LiveRooms), for the transports that deliver it (Socket.IO rooms, GraphQL subscriptions).
   */
  'live.numbered': NumberedScreenEvent;
}

export type EventName = keyof CellEventMap;

/** The events a location's screens receive, each numbered in the location's journal. */
export const SCREEN_EVENTS = [
  'sale.recorded',
  'order.voided',
  'dashboard.delta',
  'payment.received',
  'anomaly.detected',
  'recommendation.new',
] as const satisfies readonly EventName[];
export type ScreenEventName = (typeof SCREEN_EVENTS)[number];

/** A screen event with its number (`seq`; null when numbering failed: a client that reconnects later refetches). */
export interface NumberedScreenEvent {
  locationId: string;
  event: ScreenEventName;
  payload: CellEventMap[ScreenEventName] & { seq: number | null };
}
