import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';
import type { Location } from './location.types';

const COLUMNS = 'id, name, address, timezone, lunar_observances AS "lunarObservances", created_at AS "createdAt"';

/** Thin queries on `locations`; RLS has already narrowed them to the request's tenant. */
@Injectable()
export class LocationsRepository {
  list(db: TenantDb, onlyIds: readonly string[] | null): Promise<Location[]> {
    return onlyIds === null
      ? db.query<Location>(`SELECT ${COLUMNS} FROM locations ORDER BY name, id`)
      : db.query<Location>(`SELECT ${COLUMNS} FROM locations WHERE id = ANY($1::uuid[]) ORDER BY name, id`, [onlyIds]);
  }

  byIds(db: TenantDb, ids: readonly string[]): Promise<Location[]> {
    return db.query<Location>(`SELECT ${COLUMNS} FROM locations WHERE id = ANY($1::uuid[])`, [ids], 'locations_by_ids');
  }

  /** Whether the location is the tenant's (RLS hides the others'). */
  async exists(db: TenantDb, id: string): Promise<boolean> {
    return (await db.query('SELECT 1 FROM locations WHERE id = $1', [id])).length > 0;
  }

  async insert(db: TenantDb, input: { name: string; address: string | null; timezone: string }): Promise<Location> {
    const [row] = await db.query<Location>(
      `INSERT INTO locations (tenant_id, name, address, timezone) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [db.tenantId, input.name, input.address, input.timezone],
    );
    return row!;
  }

  async setLunarObservances(db: TenantDb, id: string, on: boolean): Promise<Location | null> {
    const [row] = await db.query<Location>(`UPDATE locations SET lunar_observances = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, on]);
    return row ?? null;
  }
}
