import type {
  AnomalyDetectedEvent,
  DashboardDelta as CellDashboardDelta,
  PaymentReceivedEvent,
  RecommendationNewEvent,
} from '@localstore/common/src/live-events';
import { io, type Socket } from 'socket.io-client';
import { currentPlace, tenantOrigin } from './place';
import { accessToken } from './session';

/** Each event as it arrives: the cell's contract plus the location's sequence number. */
type Numbered<T> = T & { seq: number | null };
export type DashboardDelta = Numbered<CellDashboardDelta>;
export type PaymentReceived = Numbered<PaymentReceivedEvent>;
export type RecommendationNew = Numbered<RecommendationNewEvent>;
export type AnomalyDetected = Numbered<AnomalyDetectedEvent>;

export interface LiveHandlers {
  delta?(delta: DashboardDelta): void;
  sale?(sale: { orderId: string; locationId: string }): void;
  voided?(order: { orderId: string; locationId: string }): void;
  payment?(payment: PaymentReceived): void;
  recommendation?(recommendation: RecommendationNew): void;
  anomaly?(anomaly: AnomalyDetected): void;
  /** Events were missed beyond what the cell keeps: read the figures again. */
  resync?(): void;
  connection?(connected: boolean): void;
}

const LIVE_EVENTS = [
  'dashboard.delta',
  'sale.recorded',
  'order.voided',
  'payment.received',
  'recommendation.new',
  'anomaly.detected',
] as const;

type JoinAnswer =
  { ok: true; seq: number; resync?: boolean; missed?: { event: string; payload: { seq: number } }[] } | { ok: false; code: string };

/**
 * The business's live events over Socket.IO (WebSocket only: the cell proxy tunnels it, and
 * there is no long-polling to allow cross-origin). Each location's events are numbered; on
 * reconnect the app asks for what it missed since the last number it applied, and applies
 * each number once.
 */
export function connectLive(slug: string, locationIds: readonly string[], handlers: LiveHandlers): () => void {
  const place = currentPlace();
  const origin = place.kind === 'tenant' && place.slug === slug ? window.location.origin : tenantOrigin(slug);
  const socket: Socket = io(origin, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: (cb) =>
      void accessToken().then(
        (token) => cb({ token }),
        () => cb({}),
      ),
    reconnectionDelayMax: 10_000,
  });
  // The cell numbers each location's events (all kinds together): the last number seen per
  // location asks for what was missed on reconnect, and a number is applied once.
  const lastSeq = new Map<string, number>();
  const seen = new Set<string>();
  const dispatch = (event: string, payload: { locationId: string; seq: number | null }) => {
    if (!locationIds.includes(payload.locationId)) return;
    if (payload.seq !== null && payload.seq !== undefined) {
      const key = `${payload.locationId}:${payload.seq}`;
      if (seen.has(key)) return;
      seen.add(key);
      lastSeq.set(payload.locationId, Math.max(lastSeq.get(payload.locationId) ?? 0, payload.seq));
    }
    if (event === 'dashboard.delta') handlers.delta?.(payload as DashboardDelta);
    else if (event === 'sale.recorded') handlers.sale?.(payload as unknown as { orderId: string; locationId: string });
    else if (event === 'order.voided') handlers.voided?.(payload as unknown as { orderId: string; locationId: string });
    else if (event === 'payment.received') handlers.payment?.(payload as unknown as PaymentReceived);
    else if (event === 'recommendation.new') handlers.recommendation?.(payload as unknown as RecommendationNew);
    else if (event === 'anomaly.detected') handlers.anomaly?.(payload as unknown as AnomalyDetected);
  };
  for (const event of LIVE_EVENTS) socket.on(event, (payload: { locationId: string; seq: number | null }) => dispatch(event, payload));
  socket.on('connect', () => {
    handlers.connection?.(true);
    for (const locationId of locationIds) {
      const since = lastSeq.get(locationId);
      socket.emit('join', since === undefined ? { locationId } : { locationId, since }, (answer: JoinAnswer) => {
        if (!answer.ok) return;
        if (answer.resync) handlers.resync?.();
        for (const missed of answer.missed ?? []) dispatch(missed.event, missed.payload as unknown as { locationId: string; seq: number });
        lastSeq.set(locationId, Math.max(lastSeq.get(locationId) ?? 0, answer.seq));
      });
    }
  });
  socket.on('disconnect', () => handlers.connection?.(false));
  socket.on('connect_error', () => handlers.connection?.(false));
  return () => {
    socket.removeAllListeners();
    socket.disconnect();
  };
}
