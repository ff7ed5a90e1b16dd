/**
 * The three demo businesses, known to both the cell (its seed) and the control plane (its
 * directory). Ids are fixed so demo tokens, bookmarks and benchmark runs keep working
 * across re-seeds.
 */
export type DemoBusinessKind = 'pho_chain' | 'cafe' | 'banh_mi_stand';

export interface DemoLocation {
  id: string;
  name: string;
  address: string;
  /**
   * Orders on an ordinary dry weekday in the middle of the history: the location's size.
   * Weekends, weather, Tết and the trend move each day around it.
   */
  ordinaryDayOrders: number;
}

export interface DemoTenant {
  id: string;
  slug: string;
  name: string;
  kind: DemoBusinessKind;
  /** Months of history up to today. */
  months: number;
  /** The owner's user id (the control plane's), used in demo tokens. */
  ownerUserId: string;
  /** The owner's name as staff lists show it. */
  ownerName: string;
  /** The owner's mobile, for an OTP sign-in on the demo (the code is printed in the log). */
  ownerPhone: string;
  locations: DemoLocation[];
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    id: '7a0c1d3e-0000-4000-8000-000000000001',
    slug: 'pho-bo-hanoi',
    name: 'Phở Bò Hà Nội',
    kind: 'pho_chain',
    months: 18,
    ownerUserId: '7a0c1d3e-0000-4000-8000-0000000000a1',
    ownerName: 'Nguyễn Văn Hùng',
    ownerPhone: '+84901000001',
    locations: [
      {
        id: '7a0c1d3e-0001-4000-8000-000000000001',
        name: 'Phở Bò Hà Nội – Quận 1',
        address: '12 Lê Thánh Tôn, Phường Bến Nghé, Quận 1, TP.HCM',
        ordinaryDayOrders: 390,
      },
      {
        id: '7a0c1d3e-0001-4000-8000-000000000002',
        name: 'Phở Bò Hà Nội – Quận 3',
        address: '45 Võ Văn Tần, Phường 6, Quận 3, TP.HCM',
        ordinaryDayOrders: 350,
      },
      {
        id: '7a0c1d3e-0001-4000-8000-000000000003',
        name: 'Phở Bò Hà Nội – Bình Thạnh',
        address: '210 Xô Viết Nghệ Tĩnh, Phường 21, Bình Thạnh, TP.HCM',
        ordinaryDayOrders: 340,
      },
      {
        id: '7a0c1d3e-0001-4000-8000-000000000004',
        name: 'Phở Bò Hà Nội – Phú Nhuận',
        address: '88 Phan Xích Long, Phường 2, Phú Nhuận, TP.HCM',
        ordinaryDayOrders: 320,
      },
      {
        id: '7a0c1d3e-0001-4000-8000-000000000005',
        name: 'Phở Bò Hà Nội – Thủ Đức',
        address: '5 Võ Văn Ngân, Phường Linh Chiểu, TP. Thủ Đức',
        ordinaryDayOrders: 300,
      },
    ],
  },
  {
    id: '7a0c1d3e-0000-4000-8000-000000000002',
    slug: 'ca-phe-sua-da',
    name: 'Cà Phê Sữa Đá',
    kind: 'cafe',
    months: 6,
    ownerUserId: '7a0c1d3e-0000-4000-8000-0000000000a2',
    ownerName: 'Lê Thị Thu Trang',
    ownerPhone: '+84901000002',
    locations: [
      {
        id: '7a0c1d3e-0002-4000-8000-000000000001',
        name: 'Cà Phê Sữa Đá – Nguyễn Huệ',
        address: '42 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP.HCM',
        ordinaryDayOrders: 280,
      },
    ],
  },
  {
    id: '7a0c1d3e-0000-4000-8000-000000000003',
    slug: 'banh-mi-co-ba',
    name: 'Bánh Mì Cô Ba',
    kind: 'banh_mi_stand',
    months: 3,
    ownerUserId: '7a0c1d3e-0000-4000-8000-0000000000a3',
    ownerName: 'Phạm Thị Ba',
    ownerPhone: '+84901000003',
    locations: [
      {
        id: '7a0c1d3e-0003-4000-8000-000000000001',
        name: 'Xe bánh mì Cô Ba – Chợ Bàn Cờ',
        address: 'Góc Nguyễn Thiện Thuật – Điện Biên Phủ, Quận 3, TP.HCM',
        ordinaryDayOrders: 230,
      },
    ],
  },
];
