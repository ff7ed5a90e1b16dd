import type { DataSource } from 'typeorm';

/** Thin queries on the directory's cells: where tenants can be placed. */
export class CellsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the pooled cell, or updates its endpoint and capacity when it is known. */
  async upsertPooled(cell: { name: string; endpoint: string; capacity: number }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO cells (name, mode, endpoint, capacity) VALUES ($1, 'pooled', $2, $3)
       ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint, capacity = excluded.capacity`,
      [cell.name, cell.endpoint, cell.capacity],
    );
  }
}
