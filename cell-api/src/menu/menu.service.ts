import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal';
import type { TenantDb } from '@localstore/cell-db';
import { type CellRequestContext, loaderOf } from '../graphql/request-context';
import { MenuErrorCode, MenuException } from './menu.exception';
import { MenuRepository } from './menu.repository';
import type { MenuCategory, MenuItem, Modifier, UpsertMenuCategoryInput, UpsertMenuItemInput } from './menu.types';

type DbContext = CellRequestContext & { db: TenantDb };

function groupBy<T, K>(rows: T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

@Injectable()
export class MenuService {
  constructor(private readonly menu: MenuRepository) {}

  search(db: TenantDb, search: string | undefined, includeArchived: boolean): Promise<MenuItem[]> {
    const text = search?.trim();
    return this.menu.items(db, text ? text : null, includeArchived);
  }

  categories(db: TenantDb): Promise<MenuCategory[]> {
    return this.menu.categories(db);
  }

  itemsOfCategory(ctx: DbContext, categoryId: string): Promise<MenuItem[]> {
    return loaderOf(
      ctx,
      'menuItemsByCategory',
      () =>
        new DataLoader<string, MenuItem[]>(async (ids) => {
          const byCategory = groupBy(await this.menu.itemsOfCategories(ctx.db, ids, false), (item) => item.categoryId);
          return ids.map((id) => byCategory.get(id) ?? []);
        }),
    ).load(categoryId);
  }

  categoryOf(ctx: DbContext, categoryId: string): Promise<MenuCategory | null> {
    return loaderOf(
      ctx,
      'menuCategoryById',
      () =>
        new DataLoader<string, MenuCategory | null>(async (ids) => {
          const byId = new Map((await this.menu.categoriesByIds(ctx.db, ids)).map((c) => [c.id, c]));
          return ids.map((id) => byId.get(id) ?? null);
        }),
    ).load(categoryId);
  }

  modifiersOf(ctx: DbContext, itemId: string): Promise<Modifier[]> {
    return loaderOf(
      ctx,
      'modifiersByItem',
      () =>
        new DataLoader<string, Modifier[]>(async (ids) => {
          const byItem = groupBy(await this.menu.modifiersOfItems(ctx.db, ids), (m) => m.itemId);
          return ids.map((id) => byItem.get(id) ?? []);
        }),
    ).load(itemId);
  }

  upsertCategory(db: TenantDb, principal: Principal, input: UpsertMenuCategoryInput): Promise<MenuCategory> {
    principal.assertRole('owner', 'manager');
    return this.menu.upsertCategory(db, { id: input.id, name: input.name.trim(), sortOrder: input.sortOrder });
  }

  async upsertItem(db: TenantDb, principal: Principal, input: UpsertMenuItemInput): Promise<MenuItem> {
    principal.assertRole('owner', 'manager');
    if (!(await this.menu.categoryExists(db, input.categoryId))) {
      throw new MenuException(MenuErrorCode.CATEGORY_NOT_FOUND, 'input.categoryId');
    }
    const modifiers = input.modifiers?.map((m) => ({ name: m.name.trim(), priceDelta: m.priceDelta }));
    const seen = new Set<string>();
    modifiers?.forEach((m, i) => {
      const key = m.name.toLocaleLowerCase('vi');
      if (seen.has(key)) throw new MenuException(MenuErrorCode.DUPLICATE_MODIFIER, `input.modifiers[${i}].name`, { name: m.name });
      seen.add(key);
    });
    const item = await this.menu.upsertItem(db, {
      id: input.id,
      categoryId: input.categoryId,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      price: input.price,
      active: input.active,
      sortOrder: input.sortOrder,
    });
    if (modifiers) await this.menu.replaceModifiers(db, item.id, modifiers);
    return item;
  }

  async archiveItem(db: TenantDb, principal: Principal, id: string): Promise<MenuItem> {
    principal.assertRole('owner', 'manager');
    const item = await this.menu.archiveItem(db, id);
    if (!item) throw new MenuException(MenuErrorCode.MENU_ITEM_NOT_FOUND, 'id');
    return item;
  }
}
