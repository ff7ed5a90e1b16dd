import type { DemoBusinessKind } from './demo-tenants';

/**
 * What a line is to the customer: `main` is what they came for (a bowl of phở, a bánh
 * mì, a coffee at the café), `side` an extra plate or a cake, `drink` something to go with
 * the main. The basket model draws each role on its own.
 */
export type MenuRole = 'main' | 'side' | 'drink';

/** How often an item is chosen in the morning (before 11h), at midday (11–16h) and in the evening (17h on). */
export type Popularity = readonly [morning: number, midday: number, evening: number];

export interface ModifierSpec {
  /** Stable key; the modifier's id is derived from it. */
  key: string;
  name: string;
  /** Added to the item's price, in đồng (0 for a preference such as "không hành"). */
  priceDelta: number;
  /** Share of this item's lines that carry the modifier. */
  chance: number;
}

export interface MenuItemSpec {
  /** Stable key; the item's id is derived from the tenant's slug and this key. */
  key: string;
  name: string;
  description?: string;
  /** In đồng, round thousands. */
  price: number;
  role: MenuRole;
  popularity: Popularity;
  modifiers?: readonly ModifierSpec[];
}

export interface MenuCategorySpec {
  key: string;
  name: string;
  items: readonly MenuItemSpec[];
}

const PHO_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'them-thit', name: 'Thêm thịt', priceDelta: 20_000, chance: 0.06 },
  { key: 'them-banh', name: 'Thêm bánh phở', priceDelta: 10_000, chance: 0.04 },
  { key: 'to-lon', name: 'Tô lớn', priceDelta: 10_000, chance: 0.08 },
  { key: 'trung-chan', name: 'Thêm trứng chần', priceDelta: 10_000, chance: 0.04 },
  { key: 'khong-hanh', name: 'Không hành', priceDelta: 0, chance: 0.07 },
  { key: 'it-banh', name: 'Ít bánh', priceDelta: 0, chance: 0.03 },
];

const COFFEE_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'it-da', name: 'Ít đá', priceDelta: 0, chance: 0.1 },
  { key: 'it-ngot', name: 'Ít ngọt', priceDelta: 0, chance: 0.08 },
  { key: 'size-lon', name: 'Size lớn', priceDelta: 10_000, chance: 0.08 },
  { key: 'them-shot', name: 'Thêm shot espresso', priceDelta: 15_000, chance: 0.03 },
];

const MILK_COFFEE_MODIFIERS: readonly ModifierSpec[] = [
  ...COFFEE_MODIFIERS,
  { key: 'sua-yen-mach', name: 'Đổi sữa yến mạch', priceDelta: 15_000, chance: 0.05 },
];

const TEA_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'it-da', name: 'Ít đá', priceDelta: 0, chance: 0.1 },
  { key: 'it-ngot', name: 'Ít ngọt', priceDelta: 0, chance: 0.12 },
  { key: 'size-lon', name: 'Size lớn', priceDelta: 10_000, chance: 0.08 },
  { key: 'tran-chau', name: 'Thêm trân châu', priceDelta: 10_000, chance: 0.07 },
];

const SMOOTHIE_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'it-ngot', name: 'Ít ngọt', priceDelta: 0, chance: 0.1 },
  { key: 'khong-sua', name: 'Không sữa đặc', priceDelta: 0, chance: 0.05 },
];

const BANH_MI_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'them-pate', name: 'Thêm pate', priceDelta: 5_000, chance: 0.06 },
  { key: 'trung-op-la', name: 'Thêm trứng ốp la', priceDelta: 10_000, chance: 0.05 },
  { key: 'them-cha', name: 'Thêm chả lụa', priceDelta: 10_000, chance: 0.04 },
  { key: 'khong-ot', name: 'Không ớt', priceDelta: 0, chance: 0.1 },
  { key: 'khong-rau', name: 'Không rau', priceDelta: 0, chance: 0.04 },
  { key: 'nhieu-do-chua', name: 'Nhiều đồ chua', priceDelta: 0, chance: 0.03 },
];

const SWEETNESS_MODIFIERS: readonly ModifierSpec[] = [
  { key: 'it-da', name: 'Ít đá', priceDelta: 0, chance: 0.08 },
  { key: 'it-ngot', name: 'Ít ngọt', priceDelta: 0, chance: 0.06 },
];

/** A Hà Nội–style phở chain: beef phở all day, a few other dishes, tea on the house's terms. */
const PHO_MENU: readonly MenuCategorySpec[] = [
  {
    key: 'pho-bo',
    name: 'Phở bò',
    items: [
      {
        key: 'pho-tai',
        name: 'Phở bò tái',
        description: 'Thịt bò tái chần, nước dùng xương ninh 12 tiếng',
        price: 55_000,
        role: 'main',
        popularity: [10, 9, 8],
        modifiers: PHO_MODIFIERS,
      },
      {
        key: 'pho-chin',
        name: 'Phở bò chín',
        description: 'Nạm chín thái mỏng',
        price: 55_000,
        role: 'main',
        popularity: [7, 6, 6],
        modifiers: PHO_MODIFIERS,
      },
      { key: 'pho-tai-nam', name: 'Phở tái nạm', price: 60_000, role: 'main', popularity: [8, 8, 7], modifiers: PHO_MODIFIERS },
      { key: 'pho-tai-gan', name: 'Phở tái gân', price: 60_000, role: 'main', popularity: [5, 5, 5], modifiers: PHO_MODIFIERS },
      { key: 'pho-bo-vien', name: 'Phở bò viên', price: 50_000, role: 'main', popularity: [4, 4, 4], modifiers: PHO_MODIFIERS },
      {
        key: 'pho-dac-biet',
        name: 'Phở đặc biệt',
        description: 'Tái, nạm, gân, bò viên',
        price: 75_000,
        role: 'main',
        popularity: [6, 7, 8],
        modifiers: PHO_MODIFIERS,
      },
      { key: 'pho-sot-vang', name: 'Phở sốt vang', price: 70_000, role: 'main', popularity: [2, 3, 4], modifiers: PHO_MODIFIERS },
      { key: 'pho-xao-bo', name: 'Phở xào bò', price: 65_000, role: 'main', popularity: [0.5, 2, 3] },
    ],
  },
  {
    key: 'pho-ga-mon-khac',
    name: 'Phở gà & món khác',
    items: [
      { key: 'pho-ga', name: 'Phở gà ta', price: 55_000, role: 'main', popularity: [4, 3, 3], modifiers: PHO_MODIFIERS },
      { key: 'pho-tron', name: 'Phở trộn', price: 60_000, role: 'main', popularity: [1, 3, 2] },
      { key: 'pho-cuon', name: 'Phở cuốn (5 cuốn)', price: 65_000, role: 'main', popularity: [0.3, 2, 3] },
      { key: 'bo-kho', name: 'Bò kho bánh mì', price: 60_000, role: 'main', popularity: [2, 1, 1] },
    ],
  },
  {
    key: 'mon-them',
    name: 'Món thêm',
    items: [
      { key: 'quay', name: 'Quẩy giòn (2 cái)', price: 10_000, role: 'side', popularity: [5, 4, 4] },
      { key: 'thit-bo-them', name: 'Đĩa thịt bò tái thêm', price: 40_000, role: 'side', popularity: [1, 1, 2] },
      { key: 'nem-ran', name: 'Nem rán (3 cái)', price: 45_000, role: 'side', popularity: [0.2, 1.5, 2] },
    ],
  },
  {
    key: 'do-uong',
    name: 'Đồ uống',
    items: [
      { key: 'tra-da', name: 'Trà đá', price: 5_000, role: 'drink', popularity: [8, 10, 9] },
      { key: 'tra-chanh', name: 'Trà chanh', price: 20_000, role: 'drink', popularity: [2, 4, 3], modifiers: SWEETNESS_MODIFIERS },
      { key: 'nuoc-sau', name: 'Nước sấu Hà Nội', price: 25_000, role: 'drink', popularity: [1, 3, 2] },
      { key: 'sua-dau-nanh', name: 'Sữa đậu nành', price: 15_000, role: 'drink', popularity: [3, 1, 1] },
      {
        key: 'ca-phe-sua-da',
        name: 'Cà phê sữa đá',
        price: 25_000,
        role: 'drink',
        popularity: [4, 1, 0.5],
        modifiers: SWEETNESS_MODIFIERS,
      },
      { key: 'coca-cola', name: 'Coca-Cola', price: 15_000, role: 'drink', popularity: [1, 2, 2] },
      { key: 'nuoc-cam', name: 'Nước cam vắt', price: 30_000, role: 'drink', popularity: [1, 2, 2] },
      { key: 'bia-ha-noi', name: 'Bia Hà Nội', price: 25_000, role: 'drink', popularity: [0, 0.5, 3] },
    ],
  },
];

/** A downtown café: the drink is the main; cakes are the side. */
const CAFE_MENU: readonly MenuCategorySpec[] = [
  {
    key: 'ca-phe',
    name: 'Cà phê',
    items: [
      {
        key: 'ca-phe-den-da',
        name: 'Cà phê đen đá',
        description: 'Robusta Buôn Ma Thuột pha phin',
        price: 30_000,
        role: 'main',
        popularity: [8, 5, 3],
        modifiers: COFFEE_MODIFIERS,
      },
      {
        key: 'ca-phe-sua-da',
        name: 'Cà phê sữa đá',
        description: 'Phin truyền thống với sữa đặc',
        price: 35_000,
        role: 'main',
        popularity: [12, 8, 4],
        modifiers: MILK_COFFEE_MODIFIERS,
      },
      { key: 'bac-xiu', name: 'Bạc xỉu', price: 40_000, role: 'main', popularity: [7, 6, 3], modifiers: MILK_COFFEE_MODIFIERS },
      { key: 'ca-phe-muoi', name: 'Cà phê muối', price: 45_000, role: 'main', popularity: [4, 6, 4], modifiers: COFFEE_MODIFIERS },
      { key: 'ca-phe-trung', name: 'Cà phê trứng', price: 50_000, role: 'main', popularity: [3, 4, 3] },
      { key: 'ca-phe-cot-dua', name: 'Cà phê cốt dừa', price: 50_000, role: 'main', popularity: [2, 5, 3], modifiers: COFFEE_MODIFIERS },
      { key: 'americano', name: 'Americano', price: 45_000, role: 'main', popularity: [3, 2, 1], modifiers: COFFEE_MODIFIERS },
      { key: 'latte', name: 'Latte', price: 55_000, role: 'main', popularity: [3, 3, 2], modifiers: MILK_COFFEE_MODIFIERS },
      { key: 'cappuccino', name: 'Cappuccino', price: 55_000, role: 'main', popularity: [2, 2, 1], modifiers: MILK_COFFEE_MODIFIERS },
    ],
  },
  {
    key: 'tra',
    name: 'Trà & trà sữa',
    items: [
      { key: 'tra-dao-cam-sa', name: 'Trà đào cam sả', price: 50_000, role: 'main', popularity: [2, 8, 5], modifiers: TEA_MODIFIERS },
      { key: 'tra-vai-hoa-hong', name: 'Trà vải hoa hồng', price: 50_000, role: 'main', popularity: [1, 5, 3], modifiers: TEA_MODIFIERS },
      { key: 'tra-sen-vang', name: 'Trà sen vàng', price: 45_000, role: 'main', popularity: [1, 4, 3], modifiers: TEA_MODIFIERS },
      {
        key: 'tra-sua-duong-den',
        name: 'Trà sữa trân châu đường đen',
        price: 45_000,
        role: 'main',
        popularity: [1, 6, 4],
        modifiers: TEA_MODIFIERS,
      },
      { key: 'matcha-latte', name: 'Matcha latte', price: 55_000, role: 'main', popularity: [1, 4, 3], modifiers: MILK_COFFEE_MODIFIERS },
    ],
  },
  {
    key: 'sinh-to-nuoc-ep',
    name: 'Sinh tố & nước ép',
    items: [
      { key: 'sinh-to-bo', name: 'Sinh tố bơ', price: 55_000, role: 'main', popularity: [1, 4, 3], modifiers: SMOOTHIE_MODIFIERS },
      { key: 'sinh-to-xoai', name: 'Sinh tố xoài', price: 50_000, role: 'main', popularity: [1, 3, 2], modifiers: SMOOTHIE_MODIFIERS },
      { key: 'nuoc-ep-cam', name: 'Nước ép cam', price: 45_000, role: 'main', popularity: [2, 3, 2] },
      { key: 'dua-tuoi', name: 'Dừa tươi', price: 35_000, role: 'main', popularity: [1, 3, 2] },
    ],
  },
  {
    key: 'banh-ngot',
    name: 'Bánh ngọt',
    items: [
      { key: 'banh-sung-bo', name: 'Bánh sừng bò bơ', price: 35_000, role: 'side', popularity: [4, 2, 1] },
      { key: 'tiramisu', name: 'Bánh tiramisu', price: 45_000, role: 'side', popularity: [1, 3, 3] },
      { key: 'mousse-chanh-day', name: 'Bánh mousse chanh dây', price: 45_000, role: 'side', popularity: [1, 3, 2] },
      { key: 'bong-lan-trung-muoi', name: 'Bông lan trứng muối', price: 35_000, role: 'side', popularity: [1, 3, 2] },
      { key: 'banh-mi-op-la', name: 'Bánh mì ốp la', price: 40_000, role: 'side', popularity: [3, 0.5, 0] },
    ],
  },
];

/** A street bánh mì cart: breakfast for commuters, a little trade after school and work. */
const BANH_MI_MENU: readonly MenuCategorySpec[] = [
  {
    key: 'banh-mi',
    name: 'Bánh mì',
    items: [
      {
        key: 'banh-mi-dac-biet',
        name: 'Bánh mì đặc biệt',
        description: 'Pate, chả lụa, thịt nguội, xá xíu, đồ chua',
        price: 35_000,
        role: 'main',
        popularity: [8, 6, 6],
        modifiers: BANH_MI_MODIFIERS,
      },
      {
        key: 'banh-mi-thit-nguoi',
        name: 'Bánh mì thịt nguội',
        price: 25_000,
        role: 'main',
        popularity: [8, 5, 5],
        modifiers: BANH_MI_MODIFIERS,
      },
      { key: 'banh-mi-cha-lua', name: 'Bánh mì chả lụa', price: 25_000, role: 'main', popularity: [5, 3, 3], modifiers: BANH_MI_MODIFIERS },
      { key: 'banh-mi-xiu-mai', name: 'Bánh mì xíu mại', price: 25_000, role: 'main', popularity: [5, 4, 4], modifiers: BANH_MI_MODIFIERS },
      {
        key: 'banh-mi-heo-quay',
        name: 'Bánh mì heo quay',
        price: 35_000,
        role: 'main',
        popularity: [3, 4, 4],
        modifiers: BANH_MI_MODIFIERS,
      },
      { key: 'banh-mi-ga-xe', name: 'Bánh mì gà xé', price: 30_000, role: 'main', popularity: [3, 3, 3], modifiers: BANH_MI_MODIFIERS },
      { key: 'banh-mi-op-la', name: 'Bánh mì ốp la', price: 25_000, role: 'main', popularity: [5, 2, 2], modifiers: BANH_MI_MODIFIERS },
      {
        key: 'banh-mi-bo-la-lot',
        name: 'Bánh mì bò lá lốt',
        price: 35_000,
        role: 'main',
        popularity: [1, 2, 3],
        modifiers: BANH_MI_MODIFIERS,
      },
    ],
  },
  {
    key: 'xoi',
    name: 'Xôi',
    items: [
      {
        key: 'xoi-man',
        name: 'Xôi mặn',
        description: 'Lạp xưởng, chà bông, trứng cút, hành phi',
        price: 30_000,
        role: 'main',
        popularity: [4, 1, 1],
      },
      { key: 'xoi-ga-xe', name: 'Xôi gà xé', price: 35_000, role: 'main', popularity: [2, 1, 1] },
    ],
  },
  {
    key: 'do-uong',
    name: 'Đồ uống',
    items: [
      { key: 'sua-dau-nanh', name: 'Sữa đậu nành', price: 10_000, role: 'drink', popularity: [5, 2, 2] },
      { key: 'tra-tac', name: 'Trà tắc', price: 10_000, role: 'drink', popularity: [2, 4, 4] },
      { key: 'ca-phe-sua-da', name: 'Cà phê sữa đá', price: 20_000, role: 'drink', popularity: [4, 1, 1] },
      { key: 'nuoc-mia', name: 'Nước mía', price: 15_000, role: 'drink', popularity: [1, 3, 3] },
    ],
  },
];

export const MENUS: Readonly<Record<DemoBusinessKind, readonly MenuCategorySpec[]>> = {
  pho_chain: PHO_MENU,
  cafe: CAFE_MENU,
  banh_mi_stand: BANH_MI_MENU,
};
