// The tenant the bench's sales go to: its own business in the pooled cell, so that the demo
// tenants' locations, menus and dashboards never carry load-test sales. Created through the
// cell's internal provisioning endpoint (as the control plane does at signup) when missing,
// then filled with locations and a menu through GraphQL as its owner, and reused after that.
import type { TokenSigner } from './lib/demo-keys';
import { HttpClient, must } from './lib/http-client';
import { BenchError, log } from './lib/output';

/** Fixed ids, so every run finds the same tenant; UUIDs of version 4 as the cell requires. */
export const BENCH_TENANT = {
  id: '00000000-be4c-4000-8000-000000000001',
  slug: 'bench-thu-tai',
  name: 'Quán thử tải (bench)',
  ownerUserId: '00000000-be4c-4000-8000-000000000002',
} as const;

/**
 * What earlier versions of the bench created inside the demo tenant. They stay there (the
 * API cannot delete a location) until `seed-demo.js --reset`; the bench only recognises them.
 */
export const LEFTOVER_LOCATION_NAME = 'Điểm bán thử tải (bench)';
export const isLeftoverLocationName = (name: string): boolean =>
  name === LEFTOVER_LOCATION_NAME || name.startsWith(`${LEFTOVER_LOCATION_NAME} `);

export interface NamedLocation {
  id: string;
  name: string;
}

interface MenuCategory {
  id: string;
  name: string;
}

export interface MenuItem {
  id: string;
  name: string;
  price: number;
  active: boolean;
}

/** The bench tenant ready for sales: its owner's client, its locations and its active menu. */
export interface BenchTenant {
  client: HttpClient;
  locations: NamedLocation[];
  menu: MenuItem[];
}

const benchLocationName = (k: number) => `Điểm bán thử tải ${k}`;
const BENCH_CATEGORY_NAME = 'Món thử tải';
/** A counter menu with the price spread of the demo's (đồng). */
const BENCH_MENU: [name: string, price: number][] = [
  ['Phở bò tái', 65_000],
  ['Phở gà', 55_000],
  ['Bún chả', 60_000],
  ['Cơm tấm sườn', 55_000],
  ['Bánh mì thịt', 25_000],
  ['Gỏi cuốn (2 cuốn)', 30_000],
  ['Trà đá', 5_000],
  ['Cà phê sữa đá', 25_000],
  ['Nước chanh', 20_000],
  ['Chè ba màu', 25_000],
];

const LOCATIONS = `query BenchLocations { locations { id name } }`;
const CREATE_LOCATION = `mutation BenchLocation($input: CreateLocationInput!) { createLocation(input: $input) { id name } }`;
const MENU = `query BenchMenu { menu { id name price active } }`;
const CATEGORIES = `query BenchCategories { menuCategories { id name } }`;
const UPSERT_CATEGORY = `mutation BenchCategory($input: UpsertMenuCategoryInput!) { upsertMenuCategory(input: $input) { id name } }`;
const UPSERT_ITEM = `mutation BenchItem($input: UpsertMenuItemInput!) { upsertMenuItem(input: $input) { id } }`;

/**
 * Makes sure the bench tenant exists in the cell with `locationCount` locations and a menu,
 * and returns a GraphQL client signed in as its owner (`maxSockets` connections), its
 * locations and its active menu. `signer` is the demo key (lib/demo-keys.ts), which the
 * cell started with AUTH_JWKS_FILE trusts.
 */
export async function prepareBenchTenant({
  port,
  signer,
  locationCount,
  maxSockets,
}: {
  port: number;
  signer: TokenSigner;
  locationCount: number;
  maxSockets: number;
}): Promise<BenchTenant> {
  const token = await signer.sign({ tid: BENCH_TENANT.id, role: 'owner', locs: '*' }, BENCH_TENANT.ownerUserId);
  const client = new HttpClient(port, { headers: { authorization: `Bearer ${token}`, 'x-tenant': BENCH_TENANT.slug }, maxSockets });
  try {
    let listed = await client.gql<{ locations: NamedLocation[] }>(LOCATIONS, {});
    if (listed.error?.includes('TENANT_MISMATCH')) {
      await provision(port, signer);
      listed = await client.gql(LOCATIONS, {});
    }
    const existing = must(listed, `listing the locations of ${BENCH_TENANT.slug}`).locations;
    const locations: NamedLocation[] = [];
    for (let k = 1; k <= locationCount; k++) {
      let location = existing.find((l) => l.name === benchLocationName(k));
      if (!location) {
        location = must(
          await client.gql<{ createLocation: NamedLocation }>(CREATE_LOCATION, { input: { name: benchLocationName(k) } }),
          'creating a bench location',
        ).createLocation;
        log(`created the location "${location.name}" (${location.id}) of ${BENCH_TENANT.slug}`);
      }
      locations.push(location);
    }
    const menu = await ensureMenu(client);
    return { client, locations, menu };
  } catch (error) {
    client.close();
    throw error;
  }
}

/**
 * `PUT /internal/tenants/:id` with a service token (`sub: control-plane`, scope
 * `cell:provision`), exactly what the control plane sends at signup. Idempotent.
 */
async function provision(port: number, signer: TokenSigner): Promise<void> {
  const serviceToken = await signer.sign({ scope: 'cell:provision' }, 'control-plane');
  const internal = new HttpClient(port, { headers: { authorization: `Bearer ${serviceToken}` } });
  try {
    const { status, body } = await internal.request('PUT', `/internal/tenants/${BENCH_TENANT.id}`, {
      slug: BENCH_TENANT.slug,
      name: BENCH_TENANT.name,
      plan: 'pooled',
    });
    if (status !== 200)
      throw new BenchError(`provisioning the bench tenant ${BENCH_TENANT.slug} answered ${status} ${JSON.stringify(body)}`);
    log(`created the bench tenant ${BENCH_TENANT.slug} (${BENCH_TENANT.id}) through the cell's provisioning endpoint`);
  } finally {
    internal.close();
  }
}

/** The bench menu's items that are missing are added (a run interrupted half-way is completed). */
async function ensureMenu(client: HttpClient): Promise<MenuItem[]> {
  const active = async () =>
    must(await client.gql<{ menu: MenuItem[] }>(MENU, {}), 'reading the bench menu').menu.filter((item) => item.active);
  const menu = await active();
  const missing = BENCH_MENU.filter(([name]) => !menu.some((item) => item.name === name));
  if (missing.length === 0) return menu;
  const categories = must(
    await client.gql<{ menuCategories: MenuCategory[] }>(CATEGORIES, {}),
    'reading the bench menu categories',
  ).menuCategories;
  const category =
    categories.find((c) => c.name === BENCH_CATEGORY_NAME) ??
    must(
      await client.gql<{ upsertMenuCategory: MenuCategory }>(UPSERT_CATEGORY, { input: { name: BENCH_CATEGORY_NAME } }),
      'creating the bench menu category',
    ).upsertMenuCategory;
  for (const [name, price] of missing) {
    const sortOrder = BENCH_MENU.findIndex(([n]) => n === name);
    must(
      await client.gql(UPSERT_ITEM, { input: { categoryId: category.id, name, price, sortOrder } }),
      `adding "${name}" to the bench menu`,
    );
  }
  log(`added ${missing.length} item(s) to the menu of ${BENCH_TENANT.slug}`);
  return active();
}
