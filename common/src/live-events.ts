/**
 * What a cell sends on its live channels (Socket.IO events and GraphQL subscriptions),
 * one contract for the cell that emits them and the web app that applies them. Money in
 * đồng; `paymentMethod` as stored (`cash`, `momo`, ...).
 */

export interface SaleRecordedEvent {
  orderId: string;
  locationId: string;
  total: number;
  itemCount: number;
  paymentMethod: string;
  channel: string;
  businessDate: string;
  hour: number;
  createdAt: string;
}

export interface OrderVoidedEvent {
  orderId: string;
  locationId: string;
  total: number;
  itemCount: number;
  paymentMethod: string;
  businessDate: string;
  hour: number;
  voidedAt: string;
}

/**
 * What changed in a location's figures, to add to what the screen shows (not a reload):
 * the bucket (`businessDate`, `hour`, `paymentMethod`) and signed increments. A sale adds,
 * a void subtracts, at the sale's own date and hour. A screen showing "today" applies a
 * delta whose `businessDate` is its today and ignores the others.
 */
export interface DashboardDelta {
  locationId: string;
  businessDate: string;
  hour: number;
  paymentMethod: string;
  revenue: number;
  orders: number;
  items: number;
  cause: 'sale.recorded' | 'order.voided';
  orderId: string;
}

/** A provider's payment as recorded by the cell; `discrepancy` says why it did not settle its order. */
export interface PaymentReceivedEvent {
  paymentId: string;
  orderId: string | null;
  locationId: string;
  provider: string;
  amount: number;
  succeeded: boolean;
  discrepancy: string | null;
  paidAt: string;
  receivedAt: string;
}

export interface AnomalyDetectedEvent {
  anomalyId: string;
  locationId: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  /** A catalog key (for example `AMOUNT_MISMATCH`) the screen shows in Vietnamese. */
  reason: string;
  /** For an hour the anomaly model flagged: its plain-Vietnamese explanation. */
  message?: string;
  detectedAt: string;
}

export interface RecommendationNewEvent {
  recommendationId: string;
  locationId: string;
  kind: string;
  title: string;
  priority: number;
  createdAt: string;
}
