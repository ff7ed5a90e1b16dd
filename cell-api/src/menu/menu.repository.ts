import { Injectable } from '@nestjs/common';
import type { TenantDb } from '@localstore/cell-db';
import type { MenuCategory, MenuItem, Modifier } from './menu.types';

const ITEM_COLUMNS = `i.id, i.category_id AS "categoryId", i.name, i.description, i.price,
  i.active, i.sort_order AS "sortOrder"`;
const CATEGORY_COLUMNS = 'id, name, sort_order AS "sortOrder"';

/** LIKE treats % and _ as wildcards; a customer's search text must match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class MenuRepository {
  /** Items in menu order; `search` matches names with or without diacritics. */
  items(db: TenantDb, search: string | null, includeArchived: boolean): Promise<MenuItem[]> {
    return db.query<MenuItem>(
      `SELECT ${ITEM_COLUMNS}
         FROM menu_items i JOIN menu_categories c ON c.tenant_id = i.tenant_id AND c.id = i.category_id
        WHERE ($1::text IS NULL OR i.search_text LIKE '%' || lower(immutable_unaccent($1)) || '%')
          AND ($2 OR i.active)
        ORDER BY c.sort_order, c.name, i.sort_order, i.name`,
      [search === null ? null : escapeLike(search), includeArchived],
    );
  }

  itemsOfCategories(db: TenantDb, categoryIds: readonly string[], includeArchived: boolean): Promise<MenuItem[]> {
    return db.query<MenuItem>(
      `SELECT ${ITEM_COLUMNS} FROM menu_items i
        WHERE i.category_id = ANY($1::uuid[]) AND ($2 OR i.active)
        ORDER BY i.sort_order, i.name`,
      [categoryIds, includeArchived],
    );
  }

  itemsByIds(db: TenantDb, ids: readonly string[]): Promise<MenuItem[]> {
    return db.query<MenuItem>(`SELECT ${ITEM_COLUMNS} FROM menu_items i WHERE i.id = ANY($1::uuid[])`, [ids]);
  }

  categories(db: TenantDb): Promise<MenuCategory[]> {
    return db.query<MenuCategory>(`SELECT ${CATEGORY_COLUMNS} FROM menu_categories ORDER BY sort_order, name`);
  }

  categoriesByIds(db: TenantDb, ids: readonly string[]): Promise<MenuCategory[]> {
    return db.query<MenuCategory>(`SELECT ${CATEGORY_COLUMNS} FROM menu_categories WHERE id = ANY($1::uuid[])`, [ids]);
  }

  modifiersOfItems(db: TenantDb, itemIds: readonly string[]): Promise<(Modifier & { itemId: string })[]> {
    return db.query(
      `SELECT id, item_id AS "itemId", name, price_delta AS "priceDelta"
         FROM modifiers WHERE item_id = ANY($1::uuid[]) AND active ORDER BY name`,
      [itemIds],
    );
  }

  async upsertCategory(db: TenantDb, category: { id?: string; name: string; sortOrder: number }): Promise<MenuCategory> {
    const [row] = await db.query<MenuCategory>(
      `INSERT INTO menu_categories (tenant_id, id, name, sort_order)
       VALUES ($1, coalesce($2::uuid, gen_random_uuid()), $3, $4)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, sort_order = excluded.sort_order, updated_at = now()
       RETURNING ${CATEGORY_COLUMNS}`,
      [db.tenantId, category.id ?? null, category.name, category.sortOrder],
    );
    return row!;
  }

  async upsertItem(
    db: TenantDb,
    item: { id?: string; categoryId: string; name: string; description: string | null; price: number; active: boolean; sortOrder: number },
  ): Promise<MenuItem> {
    const [row] = await db.query<MenuItem>(
      `INSERT INTO menu_items AS i (tenant_id, id, category_id, name, description, price, active, sort_order)
       VALUES ($1, coalesce($2::uuid, gen_random_uuid()), $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name,
         description = excluded.description, price = excluded.price, active = excluded.active,
         sort_order = excluded.sort_order, updated_at = now()
       RETURNING ${ITEM_COLUMNS}`,
      [db.tenantId, item.id ?? null, item.categoryId, item.name, item.description, item.price, item.active, item.sortOrder],
    );
    return row!;
  }

  async replaceModifiers(db: TenantDb, itemId: string, modifiers: { name: string; priceDelta: number }[]): Promise<void> {
    await db.query('DELETE FROM modifiers WHERE item_id = $1', [itemId]);
    if (modifiers.length === 0) return;
    await db.query(
      `INSERT INTO modifiers (tenant_id, item_id, name, price_delta)
       SELECT $1, $2, name, price_delta FROM unnest($3::text[], $4::bigint[]) AS m(name, price_delta)`,
      [db.tenantId, itemId, modifiers.map((m) => m.name), modifiers.map((m) => m.priceDelta)],
    );
  }

  async archiveItem(db: TenantDb, id: string): Promise<MenuItem | null> {
    const [row] = await db.query<MenuItem>(
      `UPDATE menu_items i SET active = false, updated_at = now() WHERE i.id = $1 RETURNING ${ITEM_COLUMNS}`,
      [id],
    );
    return row ?? null;
  }

  async categoryExists(db: TenantDb, id: string): Promise<boolean> {
    const rows = await db.query('SELECT 1 FROM menu_categories WHERE id = $1', [id]);
    return rows.length > 0;
  }
}
