import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';
import type { Advice, DemandForecastRow, HourVerdict } from '../integrations/model-operations';

export interface StoredForecast extends DemandForecastRow {
  generatedAt: Date;
}

export interface StoredRecommendation {
  id: string;
  locationId: string | null;
  kind: string;
  title: string;
  explanation: string;
  priority: number;
  status: 'pending' | 'approved' | 'dismissed';
  payload: Record<string, unknown>;
  forDate: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  dismissReason: string | null;
}

export interface StoredAnomaly {
  id: string;
  locationId: string;
  kind: string;
  severity: string;
  businessDate: string;
  hour: number | null;
  detectedAt: Date;
  details: Record<string, unknown>;
}

const RECOMMENDATION_COLUMNS = `id, location_id AS "locationId", kind, title, body AS explanation, priority, status, payload,
  to_char(for_date, 'YYYY-MM-DD') AS "forDate", created_at AS "createdAt", decided_at AS "decidedAt", dismiss_reason AS "dismissReason"`;

/** Forecasts, recommendations and hourly anomalies as the cell keeps them. */
@Injectable()
export class InsightsRepository {
  /** Writes a night's forecast over whatever an earlier run said for the same days. */
  async saveForecasts(db: TenantDb, locationId: string, rows: readonly DemandForecastRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO demand_forecasts (tenant_id, location_id, business_date, item_id, expected, low, high, method, holiday, generated_at)
       SELECT $1, $2, f.date, f.item, f.expected, f.low, f.high, f.method, f.holiday, now()
         FROM jsonb_to_recordset($3::jsonb) AS f(date date, item uuid, expected float8, low float8, high float8, method text, holiday text)
       ON CONFLICT (tenant_id, location_id, business_date, item_id) DO UPDATE
         SET expected = EXCLUDED.expected, low = EXCLUDED.low, high = EXCLUDED.high, method = EXCLUDED.method,
             holiday = EXCLUDED.holiday, generated_at = EXCLUDED.generated_at`,
      [
        db.tenantId,
        locationId,
        JSON.stringify(
          rows.map((r) => ({
            date: r.businessDate,
            item: r.itemId,
            expected: r.expected,
            low: r.low,
            high: r.high,
            method: r.method,
            holiday: r.holiday,
          })),
        ),
      ],
    );
  }

  forecasts(db: TenantDb, locationId: string, from: string, days: number, itemId?: string): Promise<StoredForecast[]> {
    return db.query<StoredForecast>(
      `SELECT item_id AS "itemId", to_char(business_date, 'YYYY-MM-DD') AS "businessDate", expected, low, high, method, holiday, generated_at AS "generatedAt"
         FROM demand_forecasts
        WHERE location_id = $1 AND business_date >= $2::date AND business_date < $2::date + $3::int AND ($4::uuid IS NULL OR item_id = $4)
        ORDER BY business_date, expected DESC, item_id`,
      [locationId, from, days, itemId ?? null],
    );
  }

  /**
   * Stores advice not seen before (by its key); advice already stored keeps its status, so
   * a dismissed recommendation does not come back the next night. Returns the new ones.
   */
  async saveAdvice(db: TenantDb, locationId: string, forDate: string, advice: readonly Advice[]): Promise<StoredRecommendation[]> {
    if (advice.length === 0) return [];
    return db.query<StoredRecommendation>(
      `INSERT INTO recommendations (tenant_id, location_id, kind, title, body, priority, payload, dedupe_key, for_date)
       SELECT $1, $2, a.kind, a.title, a.explanation, a.priority, a.payload, a.key, $4::date
         FROM jsonb_to_recordset($3::jsonb) AS a(kind text, title text, explanation text, priority int, payload jsonb, key text)
       ON CONFLICT (tenant_id, location_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
       RETURNING ${RECOMMENDATION_COLUMNS}`,
      [db.tenantId, locationId, JSON.stringify(advice), forDate],
    );
  }

  /** Pending first (most urgent first), then the decided ones of the last 30 days. */
  recommendations(db: TenantDb, locationId: string, status: string | null, limit: number): Promise<StoredRecommendation[]> {
    return db.query<StoredRecommendation>(
      `SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations
        WHERE location_id = $1 AND ($2::text IS NULL OR status = $2)
          AND (status = 'pending' OR decided_at > now() - interval '30 days')
        ORDER BY status = 'pending' DESC, priority, created_at DESC
        LIMIT $3`,
      [locationId, status, limit],
    );
  }

  async recommendation(db: TenantDb, id: string): Promise<StoredRecommendation | null> {
    const [row] = await db.query<StoredRecommendation>(`SELECT ${RECOMMENDATION_COLUMNS} FROM recommendations WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Decides a pending recommendation; null when it was not pending (decided already). */
  async decide(
    db: TenantDb,
    id: string,
    status: 'approved' | 'dismissed',
    userId: string,
    reason: string | null,
  ): Promise<StoredRecommendation | null> {
    const [row] = await db.query<StoredRecommendation>(
      `UPDATE recommendations SET status = $2, decided_at = now(), decided_by = $3, dismiss_reason = $4
        WHERE id = $1 AND status = 'pending'
       RETURNING ${RECOMMENDATION_COLUMNS}`,
      [id, status, userId, reason],
    );
    return row ?? null;
  }

  async audit(db: TenantDb, userId: string, action: string, id: string, details: Record<string, unknown>): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (tenant_id, actor_user_id, action, entity, entity_id, details) VALUES ($1, $2, $3, 'recommendation', $4, $5)`,
      [db.tenantId, userId, action, id, details],
    );
  }

  anomalies(db: TenantDb, locationId: string, from: string, to: string, limit: number): Promise<StoredAnomaly[]> {
    return db.query<StoredAnomaly>(
      `SELECT id, location_id AS "locationId", kind, severity, to_char(business_date, 'YYYY-MM-DD') AS "businessDate", hour, detected_at AS "detectedAt", details
         FROM anomalies WHERE location_id = $1 AND business_date BETWEEN $2 AND $3
        ORDER BY detected_at DESC LIMIT $4`,
      [locationId, from, to, limit],
    );
  }

  /** An hour the model flagged; null when another process recorded that hour already. */
  async recordHourlyAnomaly(db: TenantDb, locationId: string, verdict: HourVerdict): Promise<{ id: string; detectedAt: Date } | null> {
    const [row] = await db.query<{ id: string; detectedAt: Date }>(
      `INSERT INTO anomalies (tenant_id, location_id, kind, severity, business_date, hour, details)
       VALUES ($1, $2, 'hourly_pattern', 'warning', $3, $4, $5)
       ON CONFLICT (tenant_id, location_id, business_date, hour, kind) WHERE hour IS NOT NULL DO NOTHING
       RETURNING id, detected_at AS "detectedAt"`,
      [
        db.tenantId,
        locationId,
        verdict.businessDate,
        verdict.hour,
        { feature: verdict.feature, observed: verdict.observed, usual: verdict.usual, score: verdict.score, reason: verdict.reason },
      ],
    );
    return row ?? null;
  }
}
