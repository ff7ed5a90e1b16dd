import { DataSource } from 'typeorm';
import { servingTenantIds, type TenantDb, withTenantTransaction } from '@localstore/cell-db';
import type { NamedLocation } from './insights.service';

export interface ServedLocation extends NamedLocation {
  tenantId: string;
}

/** Every location of every tenant this cell serves now (`cell_tenants` in state serving). */
export async function servedLocations(dataSource: DataSource): Promise<ServedLocation[]> {
  const all: ServedLocation[] = [];
  for (const tenantId of await servingTenantIds(dataSource)) {
    const rows = await withTenantTransaction(dataSource, tenantId, (db) => locationsOf(db));
    all.push(...rows.map((row) => ({ ...row, tenantId })));
  }
  return all;
}

/** The tenant's locations (or one) as the models' callers need them. */
export function locationsOf(db: TenantDb, locationId?: string): Promise<NamedLocation[]> {
  return db.query<NamedLocation & Record<string, unknown>>(
    `SELECT id, name, timezone, lunar_observances AS "lunarObservances" FROM locations WHERE ($1::uuid IS NULL OR id = $1) ORDER BY id`,
    [locationId ?? null],
  );
}
