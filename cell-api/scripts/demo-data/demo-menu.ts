import type { MenuFacts } from '../../src/sales/sale-pricing';
import type { DemoTenant } from './demo-tenants';
import { MENUS, type MenuRole, type Popularity } from './menus';
import { stableUuid } from './stable-uuid';

export interface DemoMenuCategory {
  id: string;
  name: string;
  sortOrder: number;
}

export interface DemoModifier {
  id: string;
  itemId: string;
  name: string;
  priceDelta: number;
  /** Share of the item's lines that carry this modifier. */
  chance: number;
}

export interface DemoMenuItem {
  id: string;
  categoryId: string;
  name: string;
  description: string | null;
  price: number;
  sortOrder: number;
  role: MenuRole;
  popularity: Popularity;
  modifiers: DemoModifier[];
}

/** A tenant's menu with its ids, ready to write and to sell from. */
export interface DemoMenu {
  categories: DemoMenuCategory[];
  items: DemoMenuItem[];
  /** The same menu in the shape the app's pricing reads, so demo orders are priced by `priceSale`. */
  facts: MenuFacts;
}

/**
 * The menu of a demo tenant. Ids derive from the tenant's slug and each entry's key, so
 * they are the same on every re-seed and differ between tenants serving the same dish.
 */
export function demoMenuOf(tenant: DemoTenant): DemoMenu {
  const categories: DemoMenuCategory[] = [];
  const items: DemoMenuItem[] = [];
  MENUS[tenant.kind].forEach((category, categoryIndex) => {
    const categoryId = stableUuid('menu-category', tenant.slug, category.key);
    categories.push({ id: categoryId, name: category.name, sortOrder: categoryIndex + 1 });
    category.items.forEach((item, itemIndex) => {
      const itemId = stableUuid('menu-item', tenant.slug, item.key);
      items.push({
        id: itemId,
        categoryId,
        name: item.name,
        description: item.description ?? null,
        price: item.price,
        sortOrder: itemIndex + 1,
        role: item.role,
        popularity: item.popularity,
        modifiers: (item.modifiers ?? []).map((modifier) => ({
          id: stableUuid('modifier', tenant.slug, item.key, modifier.key),
          itemId,
          name: modifier.name,
          priceDelta: modifier.priceDelta,
          chance: modifier.chance,
        })),
      });
    });
  });
  return {
    categories,
    items,
    facts: {
      items: new Map(items.map((item) => [item.id, { name: item.name, price: item.price, active: true }])),
      modifiers: new Map(
        items.flatMap((item) => item.modifiers.map((m) => [m.id, { itemId: m.itemId, name: m.name, priceDelta: m.priceDelta }] as const)),
      ),
    },
  };
}
