import type { TestTenant } from '@localstore/cell-db/testing';
import { TestCell } from '../../test/test-cell';

const UPSERT_ITEM = `mutation Upsert($input: UpsertMenuItemInput!) {
  upsertMenuItem(input: $input) { id name price active categoryId modifiers { name priceDelta } category { name } }
}`;
const UPSERT_CATEGORY = 'mutation($input: UpsertMenuCategoryInput!) { upsertMenuCategory(input: $input) { id name sortOrder } }';
const SEARCH = 'query($search: String, $all: Boolean) { menu(search: $search, includeArchived: $all) { name price active } }';

/** The menu through GraphQL on a real Postgres (unaccent search included). Stubbed: nothing. */
describe('the menu', () => {
  let cell: TestCell;
  let tenant: TestTenant;
  let token: string;
  let categoryId: string;
  const call = (query: string, variables: Record<string, unknown> = {}, as = token) =>
    cell.gql(query, variables, { token: as, tenant: tenant.slug });
  const itemCount = async () => (await cell.ownerQuery(tenant.id, 'SELECT count(*)::int AS n FROM menu_items'))[0].n;

  beforeAll(async () => {
    cell = await TestCell.start();
    tenant = await cell.factories.newTenant('menu-test');
    token = await cell.token({ tid: tenant.id, role: 'manager' });
    const category = await call(UPSERT_CATEGORY, { input: { name: 'Món nước', sortOrder: 1 } });
    categoryId = category.data!.upsertMenuCategory.id;
    for (const [name, price] of [
      ['Phở bò tái', 55_000],
      ['Phở gà', 50_000],
      ['Bún chả Hà Nội', 60_000],
      ['Trà đá', 5_000],
      ['Cà phê sữa đá', 29_000],
      ['Giảm 100%', 0],
    ] as const) {
      const { errors } = await call(UPSERT_ITEM, { input: { categoryId, name, price } });
      expect(errors).toBeUndefined();
    }
  });
  afterAll(() => cell?.stop());

  it('finds Phở when someone types pho, PHO or phở', async () => {
    for (const search of ['pho', 'PHO', 'phở', 'Phở ']) {
      const { data } = await call(SEARCH, { search });
      expect(data!.menu.map((i: any) => i.name).sort()).toEqual(['Phở bò tái', 'Phở gà']);
    }
  });

  it('matches đ as d and searches inside names', async () => {
    const { data } = await call(SEARCH, { search: 'da' });
    expect(data!.menu.map((i: any) => i.name).sort()).toEqual(['Cà phê sữa đá', 'Trà đá']);
    const chả = await call(SEARCH, { search: 'bun cha' });
    expect(chả.data!.menu.map((i: any) => i.name)).toEqual(['Bún chả Hà Nội']);
  });

  it('treats % and _ in a search literally', async () => {
    const { data } = await call(SEARCH, { search: '%' });
    expect(data!.menu.map((i: any) => i.name)).toEqual(['Giảm 100%']);
    expect((await call(SEARCH, { search: '_' })).data!.menu).toEqual([]);
  });

  it('updates an item in place and replaces its modifiers', async () => {
    const created = await call(UPSERT_ITEM, {
      input: { categoryId, name: 'Bánh mì thịt', price: 25_000, modifiers: [{ name: 'Thêm pate', priceDelta: 5_000 }] },
    });
    const id = created.data!.upsertMenuItem.id;
    const updated = await call(UPSERT_ITEM, {
      input: {
        id,
        categoryId,
        name: 'Bánh mì thịt nướng',
        price: 30_000,
        modifiers: [{ name: 'Thêm trứng', priceDelta: 7_000 }, { name: 'Không hành' }],
      },
    });
    expect(updated.data!.upsertMenuItem).toMatchObject({
      id,
      name: 'Bánh mì thịt nướng',
      price: 30_000,
      category: { name: 'Món nước' },
      modifiers: [
        { name: 'Không hành', priceDelta: 0 },
        { name: 'Thêm trứng', priceDelta: 7_000 },
      ],
    });
  });

  it('archives an item: gone from the menu, kept for past receipts', async () => {
    const created = await call(UPSERT_ITEM, { input: { categoryId, name: 'Chè ba màu', price: 25_000 } });
    const archived = await call('mutation($id: ID!) { archiveMenuItem(id: $id) { active } }', { id: created.data!.upsertMenuItem.id });
    expect(archived.data!.archiveMenuItem.active).toBe(false);
    expect((await call(SEARCH, { search: 'che' })).data!.menu).toEqual([]);
    expect((await call(SEARCH, { search: 'che', all: true })).data!.menu).toEqual([{ name: 'Chè ba màu', price: 25_000, active: false }]);
  });

  it('lists categories with their items in a fixed number of queries', async () => {
    await call(UPSERT_CATEGORY, { input: { name: 'Đồ uống', sortOrder: 2 } });
    const before = await cell.dbQueryCount();
    const { data, errors } = await call('{ menuCategories { name items { name modifiers { name } } } }');
    expect(errors).toBeUndefined();
    expect(data!.menuCategories[0].items.length).toBeGreaterThan(3);
    // BEGIN with the tenant setting, then categories, their items, the items' modifiers.
    expect((await cell.dbQueryCount()) - before).toBeLessThanOrEqual(5);
  });

  it('is edited by managers and owners only', async () => {
    const staff = await cell.token({ tid: tenant.id, role: 'staff' });
    const { errors } = await call(UPSERT_ITEM, { input: { categoryId, name: 'Lén', price: 1_000 } }, staff);
    expect(errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_FORBIDDEN' });
  });

  describe('refuses hostile input, naming the field, and writes nothing', () => {
    const cases: [string, () => Record<string, unknown>, string][] = [
      ['a negative price', () => ({ categoryId, name: 'Âm', price: -1 }), 'input.price'],
      ['a price past 10^12 đồng', () => ({ categoryId, name: 'Tỷ phú', price: 1_000_000_000_001 }), 'input.price'],
      ['a fractional price', () => ({ categoryId, name: 'Lẻ', price: 25_000.5 }), 'input.price'],
      ['an empty name', () => ({ categoryId, name: '', price: 1_000 }), 'input.name'],
      ['a name over 120 characters', () => ({ categoryId, name: 'P'.repeat(121), price: 1_000 }), 'input.name'],
      ['a malformed category id', () => ({ categoryId: 'món-nước', price: 1_000, name: 'X' }), 'input.categoryId'],
      ['an unknown category', () => ({ categoryId: '00000000-0000-4000-8000-000000000000', price: 1_000, name: 'X' }), 'input.categoryId'],
      [
        'duplicate modifiers',
        () => ({ categoryId, name: 'Đôi', price: 1_000, modifiers: [{ name: 'Thêm' }, { name: 'thêm' }] }),
        'input.modifiers[1].name',
      ],
      [
        'a modifier with a negative delta',
        () => ({ categoryId, name: 'Đôi', price: 1_000, modifiers: [{ name: 'Bớt', priceDelta: -5_000 }] }),
        'input.modifiers[0].priceDelta',
      ],
      [
        'a description over 1000 characters',
        () => ({ categoryId, name: 'Dài', price: 1_000, description: 'x'.repeat(1001) }),
        'input.description',
      ],
    ];
    it.each(cases)('%s', async (_, input, field) => {
      const before = await itemCount();
      const { data, errors } = await call(UPSERT_ITEM, { input: input() });
      expect(data).toBeNull();
      expect(errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
      // Scalar errors (Money) are reported by GraphQL with the path in the message.
      const named = errors![0]!.extensions.field ?? errors![0]!.message;
      expect(named).toContain(field.replace(/^input\./, ''));
      expect(await itemCount()).toBe(before);
    });

    it('a search text over 100 characters', async () => {
      const { errors } = await call(SEARCH, { search: 'p'.repeat(101) });
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
    });
  });
});
