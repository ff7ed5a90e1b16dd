import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { addDays, daysBetween, localDateHour, weekdayOf } from '@localstore/common';
import type { Logger } from 'pino';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG, ROOT_LOGGER } from '../config/cell-config.token';
import type { TenantDb } from '@localstore/cell-db';
import { CellMetrics } from '../observability/cell-metrics';
import { InferenceClient } from './inference/inference-client';
import { tensors } from './inference/tensors';
import { type HourFacts, ModelInputsRepository } from './model-inputs.repository';

/** What a call needs to know of a location. */
export interface LocationRef {
  id: string;
  timezone: string;
  /** Rằm and mùng 1 move this location's trade (a vegetarian kitchen, a shop by a pagoda). */
  lunarObservances: boolean;
}

export interface DemandForecastRow {
  itemId: string;
  businessDate: string;
  expected: number;
  low: number;
  high: number;
  method: string;
  holiday: string;
}

export interface Advice {
  kind: string;
  key: string;
  title: string;
  explanation: string;
  priority: number;
  payload: Record<string, unknown>;
}

export interface PriceSuggestion {
  itemId: string;
  currentPrice: number;
  suggestedPrice: number;
  elasticity: number | null;
  method: string;
  explanation: string;
}

export interface HourVerdict {
  businessDate: string;
  hour: number;
  score: number;
  anomalous: boolean;
  feature: string;
  observed: number;
  usual: number;
  reason: string;
}

/** Two years of daily history at most: enough for yearly seasonality and last year's Tết. */
const FORECAST_HISTORY_DAYS = 730;
export const MAX_FORECAST_DAYS = 14;
const BASKET_LINE_LIMIT = 300_000;
const PRICING_HISTORY_DAYS = 180;
const DISMISSAL_MEMORY_DAYS = 30;
/** The anomaly model's usual: the same weekday and hour over the last eight weeks. */
const ANOMALY_HISTORY_DAYS = 56;
const PAYMENT_METHODS = ['cash', 'momo', 'zalopay', 'vnpay', 'card'] as const;

/**
 * The design's model operations, as a typed client over ModelInfer: each reads what its
 * model needs from the cell (in the caller's tenant transaction), sends it, and reads the
 * named outputs back. The models keep nothing; every call carries its own history.
 */
@Injectable()
export class ModelOperations implements OnModuleDestroy {
  readonly client: InferenceClient;

  constructor(
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
    private readonly inputs: ModelInputsRepository,
    metrics: CellMetrics,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.client = new InferenceClient(config.models, logger, {
      observe: (model, outcome, seconds) => metrics.modelInference.observe({ model, outcome }, seconds),
    });
  }

  onModuleDestroy(): void {
    this.client.close();
  }

  /** Expected quantity and 80 % interval per item and day, from today (local) for `days` days. */
  async predictDemand(
    db: TenantDb,
    location: LocationRef,
    item: string | 'all',
    days: number,
    now = new Date(),
  ): Promise<DemandForecastRow[]> {
    const today = localDateHour(now, location.timezone).businessDate;
    const items = await this.inputs.menu(db, item === 'all' ? undefined : item);
    const firstSale = await this.inputs.firstSaleDate(db, location.id);
    if (items.length === 0 || !firstSale || firstSale >= today) return [];
    const historyStart = [firstSale, addDays(today, -FORECAST_HISTORY_DAYS)].sort().at(-1)!;
    const history = await this.inputs.itemDays(
      db,
      location.id,
      historyStart,
      addDays(today, -1),
      items.map((i) => i.id),
    );
    if (history.length === 0) return []; // none of these items sold yet: nothing to forecast from
    const index = new Map(items.map((i, n) => [i.id, n]));
    const out = await this.client.infer(
      'demand-forecast',
      [
        tensors.text(
          'item_id',
          items.map((i) => i.id),
        ),
        tensors.text(
          'item_category',
          items.map((i) => i.categoryId),
        ),
        tensors.int32(
          'history_item',
          history.map((h) => index.get(h.itemId)!),
        ),
        tensors.text(
          'history_date',
          history.map((h) => h.businessDate),
        ),
        tensors.fp64(
          'history_quantity',
          history.map((h) => h.quantity),
        ),
        tensors.text('history_start', [historyStart]),
        tensors.text('forecast_start', [today]),
        tensors.int32('horizon_days', [days]),
        tensors.bool('lunar_observances', location.lunarObservances),
      ],
      this.config.models.forecastDeadlineMs,
    );
    const names = ['forecast_item', 'forecast_date', 'expected', 'low', 'high', 'method', 'holiday'];
    const rows = out.rows(names);
    const [itemIds, dates, expected, low, high, methods, holidays] = [
      out.text('forecast_item'),
      out.text('forecast_date'),
      out.numbers('expected'),
      out.numbers('low'),
      out.numbers('high'),
      out.text('method'),
      out.text('holiday'),
    ];
    return Array.from({ length: rows }, (_, n) => {
      // Prophet's point forecast and its sampled interval are computed apart; keep them ordered.
      const e = expected[n]!;
      return {
        itemId: itemIds[n]!,
        businessDate: dates[n]!,
        expected: e,
        low: Math.min(low[n]!, e),
        high: Math.max(high[n]!, e),
        method: methods[n]!,
        holiday: holidays[n]!,
      };
    });
  }

  /**
   * Advice for `forDate`: prep from that day's stored forecast, slow movers and combos from
   * the sales of `range` (and the same length before it for the trend).
   */
  async getRecommendations(
    db: TenantDb,
    location: LocationRef,
    range: { from: string; to: string },
    forDate: string,
    forecasts: readonly DemandForecastRow[],
    now = new Date(),
  ): Promise<Advice[]> {
    const items = await this.inputs.menu(db);
    if (items.length === 0) return [];
    const length = daysBetween(range.from, range.to) + 1;
    const [recent, previous, lines, dismissed] = await Promise.all([
      this.inputs.itemTotals(db, location.id, range.from, range.to),
      this.inputs.itemTotals(db, location.id, addDays(range.from, -length), addDays(range.from, -1)),
      this.inputs.basketLines(db, location.id, range.from, range.to, BASKET_LINE_LIMIT),
      this.inputs.dismissedKinds(db, location.id, new Date(now.getTime() - DISMISSAL_MEMORY_DAYS * 86_400_000)),
    ]);
    const forecastOf = new Map(forecasts.filter((f) => f.businessDate === forDate).map((f) => [f.itemId, f]));
    const index = new Map(items.map((i, n) => [i.id, n]));
    const known = lines.filter((line) => index.has(line.itemId));
    const dismissedKinds = [...dismissed.entries()].filter(([kind]) => ['prep', 'promotion', 'combo'].includes(kind));
    const out = await this.client.infer(
      'recommender',
      [
        tensors.text(
          'item_id',
          items.map((i) => i.id),
        ),
        tensors.text(
          'item_name',
          items.map((i) => i.name),
        ),
        tensors.int64(
          'item_price',
          items.map((i) => i.price),
        ),
        tensors.fp64(
          'forecast_expected',
          items.map((i) => forecastOf.get(i.id)?.expected ?? -1),
        ),
        tensors.fp64(
          'forecast_high',
          items.map((i) => forecastOf.get(i.id)?.high ?? -1),
        ),
        tensors.fp64(
          'recent_quantity',
          items.map((i) => recent.get(i.id) ?? 0),
        ),
        tensors.fp64(
          'previous_quantity',
          items.map((i) => previous.get(i.id) ?? 0),
        ),
        tensors.int64(
          'basket_order',
          known.map((l) => l.order),
        ),
        tensors.int32(
          'basket_item',
          known.map((l) => index.get(l.itemId)!),
        ),
        tensors.text('for_date', [forDate]),
        tensors.text(
          'dismissed_kind',
          dismissedKinds.map(([kind]) => kind),
        ),
        tensors.int32(
          'dismissed_count',
          dismissedKinds.map(([, n]) => n),
        ),
      ],
      this.config.models.deadlineMs,
    );
    const rows = out.rows(['kind', 'key', 'title', 'explanation', 'priority', 'payload']);
    const [kinds, keys, titles, explanations, priorities, payloads] = [
      out.text('kind'),
      out.text('key'),
      out.text('title'),
      out.text('explanation'),
      out.numbers('priority'),
      out.text('payload'),
    ];
    return Array.from({ length: rows }, (_, n) => ({
      kind: kinds[n]!,
      key: keys[n]!,
      title: titles[n]!,
      explanation: explanations[n]!,
      priority: priorities[n]!,
      payload: JSON.parse(payloads[n]!) as Record<string, unknown>,
    }));
  }

  /** A suggested price per active item, with the reason; competitor prices optional. */
  async analyzePricing(
    db: TenantDb,
    location: LocationRef,
    competitorPrices: readonly { itemId: string; price: number }[] = [],
    now = new Date(),
  ): Promise<PriceSuggestion[]> {
    const items = await this.inputs.menu(db);
    if (items.length === 0) return [];
    const today = localDateHour(now, location.timezone).businessDate;
    const history = await this.inputs.pricedDays(db, location.id, addDays(today, -PRICING_HISTORY_DAYS), addDays(today, -1));
    const index = new Map(items.map((i, n) => [i.id, n]));
    const known = history.filter((h) => index.has(h.itemId));
    const competitors = competitorPrices.filter((c) => index.has(c.itemId));
    const out = await this.client.infer(
      'pricing',
      [
        tensors.text(
          'item_id',
          items.map((i) => i.id),
        ),
        tensors.text(
          'item_name',
          items.map((i) => i.name),
        ),
        tensors.int64(
          'item_price',
          items.map((i) => i.price),
        ),
        tensors.int32(
          'history_item',
          known.map((h) => index.get(h.itemId)!),
        ),
        tensors.int32(
          'history_weekday',
          known.map((h) => weekdayOf(h.businessDate)),
        ),
        tensors.int64(
          'history_unit_price',
          known.map((h) => h.unitPrice),
        ),
        tensors.fp64(
          'history_quantity',
          known.map((h) => h.quantity),
        ),
        ...(competitors.length > 0
          ? [
              tensors.int32(
                'competitor_item',
                competitors.map((c) => index.get(c.itemId)!),
              ),
              tensors.int64(
                'competitor_price',
                competitors.map((c) => c.price),
              ),
            ]
          : []),
      ],
      this.config.models.deadlineMs,
    );
    const rows = out.rows(['item_id', 'current_price', 'suggested_price', 'elasticity', 'method', 'explanation']);
    const [ids, current, suggested, elasticity, methods, explanations] = [
      out.text('item_id'),
      out.numbers('current_price'),
      out.numbers('suggested_price'),
      out.numbers('elasticity'),
      out.text('method'),
      out.text('explanation'),
    ];
    return Array.from({ length: rows }, (_, n) => ({
      itemId: ids[n]!,
      currentPrice: current[n]!,
      suggestedPrice: suggested[n]!,
      elasticity: Number.isFinite(elasticity[n]) ? elasticity[n]! : null,
      method: methods[n]!,
      explanation: explanations[n]!,
    }));
  }

  /**
   * The design's StreamSalesData: closed hours of a location, judged against the same
   * weekday and hour of its last eight weeks. `hours` are local (business date, hour).
   */
  async scoreHours(
    db: TenantDb,
    location: LocationRef,
    hours: readonly { businessDate: string; hour: number }[],
    now = new Date(),
  ): Promise<HourVerdict[]> {
    if (hours.length === 0) return [];
    const first = hours.map((h) => h.businessDate).sort()[0]!;
    const historyStart = addDays(first, -ANOMALY_HISTORY_DAYS);
    const firstSale = await this.inputs.firstSaleDate(db, location.id);
    if (!firstSale) return [];
    // Local dates differ from UTC ones by under a day: read a day wider and keep by date.
    const facts = await this.inputs.hours(db, location.id, new Date(`${addDays(historyStart, -1)}T00:00:00Z`), now);
    const byKey = new Map(facts.map((f) => [`${f.businessDate} ${f.hour}`, f]));
    const judged = new Set(hours.map((h) => `${h.businessDate} ${h.hour}`));
    const history: { row: number[]; weekday: number; hour: number }[] = [];
    const start = [historyStart, firstSale].sort().at(-1)!;
    for (let date = start; date < first; date = addDays(date, 1)) {
      for (let hour = 0; hour < 24; hour++) {
        if (judged.has(`${date} ${hour}`)) continue;
        history.push({ row: featuresOf(byKey.get(`${date} ${hour}`)), weekday: weekdayOf(date), hour });
      }
    }
    if (history.length < 28) return [];
    const out = await this.client.infer(
      'anomaly',
      [
        tensors.fp64Matrix(
          'history',
          history.map((h) => h.row),
          9,
        ),
        tensors.int32(
          'history_weekday',
          history.map((h) => h.weekday),
        ),
        tensors.int32(
          'history_hour',
          history.map((h) => h.hour),
        ),
        tensors.fp64Matrix(
          'current',
          hours.map((h) => featuresOf(byKey.get(`${h.businessDate} ${h.hour}`))),
          9,
        ),
        tensors.int32(
          'current_weekday',
          hours.map((h) => weekdayOf(h.businessDate)),
        ),
        tensors.int32(
          'current_hour',
          hours.map((h) => h.hour),
        ),
      ],
      this.config.models.deadlineMs,
    );
    out.rows(['score', 'anomalous', 'feature', 'observed', 'usual', 'reason']);
    const [scores, flags, features, observed, usual, reasons] = [
      out.numbers('score'),
      out.bools('anomalous'),
      out.text('feature'),
      out.numbers('observed'),
      out.numbers('usual'),
      out.text('reason'),
    ];
    return hours.map((h, n) => ({
      ...h,
      score: scores[n]!,
      anomalous: flags[n]!,
      feature: features[n]!,
      observed: observed[n]!,
      usual: usual[n]!,
      reason: reasons[n]!,
    }));
  }
}

/** The anomaly model's nine figures of an hour (all zero for an hour without orders). */
export function featuresOf(facts: HourFacts | undefined): number[] {
  if (!facts) return [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const all = facts.orders + facts.voided;
  const shares = PAYMENT_METHODS.map((method) => (facts.revenue > 0 ? (facts.byMethod[method] ?? 0) / facts.revenue : 0));
  return [facts.revenue, facts.orders, facts.orders > 0 ? facts.revenue / facts.orders : 0, all > 0 ? facts.voided / all : 0, ...shares];
}
