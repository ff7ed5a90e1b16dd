import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../schema-facts';

/**
 * What the models said, kept in the cell: each night's demand forecast per item and day
 * (the dashboards read these, so they still show the last forecast when the model server
 * is down), recommendations that the same advice for the same day does not duplicate
 * (`dedupe_key`), with the reason an owner gave for dismissing one, and anomalies of an
 * hour recorded once per location, hour and kind however many processes judge it. A
 * location says whether rằm and mùng 1 matter to its trade.
 */
export class ForecastsAndAdvice1732500000008 implements MigrationInterface {
  name = 'ForecastsAndAdvice1732500000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
-- Rằm and mùng 1 move some trades (a vegetarian kitchen, a shop by a pagoda): the owner says so.
ALTER TABLE locations ADD COLUMN lunar_observances boolean NOT NULL DEFAULT false;

CREATE TABLE demand_forecasts (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  location_id uuid NOT NULL,
  business_date date NOT NULL,
  item_id uuid NOT NULL,
  expected double precision NOT NULL CHECK (expected >= 0),
  low double precision NOT NULL CHECK (low >= 0 AND low <= expected),
  high double precision NOT NULL CHECK (high >= expected),
  method text NOT NULL CHECK (method IN ('prophet', 'prophet_category', 'seasonal_naive', 'recent_mean')),
  holiday text NOT NULL DEFAULT '' CHECK (length(holiday) <= 30),
  generated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, location_id, business_date, item_id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES locations (tenant_id, id),
  FOREIGN KEY (tenant_id, item_id) REFERENCES menu_items (tenant_id, id)
);
ALTER TABLE demand_forecasts ENABLE ROW LEVEL SECURITY;
ALTER TABLE demand_forecasts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON demand_forecasts USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
GRANT SELECT, INSERT, UPDATE ON demand_forecasts TO ${APP_GROUP_ROLE};

ALTER TABLE recommendations DROP CONSTRAINT recommendations_kind_check;
ALTER TABLE recommendations ADD CONSTRAINT recommendations_kind_check
  CHECK (kind IN ('pricing', 'prep', 'promotion', 'combo', 'staffing', 'menu'));
ALTER TABLE recommendations
  ADD COLUMN dedupe_key text CHECK (length(dedupe_key) <= 200),
  ADD COLUMN for_date date,
  ADD COLUMN dismiss_reason text CHECK (length(dismiss_reason) <= 500);
CREATE UNIQUE INDEX recommendations_dedupe ON recommendations (tenant_id, location_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

ALTER TABLE anomalies ADD COLUMN hour smallint CHECK (hour BETWEEN 0 AND 23);
CREATE UNIQUE INDEX anomalies_hourly_once ON anomalies (tenant_id, location_id, business_date, hour, kind) WHERE hour IS NOT NULL;`);
  }

  async down(): Promise<void> {
    throw new Error('Migrations are forward-only: write a new migration instead of reverting one.');
  }
}
