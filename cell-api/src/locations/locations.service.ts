import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal';
import type { TenantDb } from '@localstore/cell-db';
import { type CellRequestContext, loaderOf } from '../graphql/request-context';
import { LocationErrorCode, LocationException } from './location.exception';
import type { CreateLocationInput, Location } from './location.types';
import { LocationsRepository } from './locations.repository';

@Injectable()
export class LocationsService {
  constructor(private readonly locations: LocationsRepository) {}

  /** The locations the user may see: every one for the tenant-wide, else their own. */
  visibleTo(db: TenantDb, principal: Principal): Promise<Location[]> {
    return this.locations.list(db, principal.allowedLocationIds);
  }

  /** Batches every location lookup of a request into one query. */
  loader(ctx: CellRequestContext & { db: TenantDb }): DataLoader<string, Location | null> {
    return loaderOf(
      ctx,
      'locationById',
      () =>
        new DataLoader<string, Location | null>(async (ids) => {
          const rows = await this.locations.byIds(ctx.db, ids);
          const byId = new Map(rows.map((row) => [row.id, row]));
          return ids.map((id) => byId.get(id) ?? null);
        }),
    );
  }

  /** A location the user may see, or NOT_FOUND / FORBIDDEN naming `field`. */
  async visibleLocation(
    ctx: CellRequestContext & { db: TenantDb; principal: Principal },
    id: string,
    field = 'locationId',
  ): Promise<Location> {
    ctx.principal.assertLocation(id, field);
    const location = await this.loader(ctx).load(id);
    if (!location) throw new LocationException(LocationErrorCode.LOCATION_NOT_FOUND, field);
    return location;
  }

  async setLunarObservances(ctx: CellRequestContext & { db: TenantDb; principal: Principal }, id: string, on: boolean): Promise<Location> {
    ctx.principal.assertRole('owner');
    await this.visibleLocation(ctx, id);
    return (await this.locations.setLunarObservances(ctx.db, id, on))!;
  }

  create(db: TenantDb, principal: Principal, input: CreateLocationInput): Promise<Location> {
    principal.assertRole('owner');
    return this.locations.insert(db, {
      name: input.name.trim(),
      address: input.address?.trim() || null,
      timezone: input.timezone,
    });
  }
}
