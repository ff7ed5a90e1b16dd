import type { DemoTenant } from './demo-tenants';
import { stableUuid } from './stable-uuid';

export type StaffRole = 'owner' | 'manager' | 'staff';

export interface DemoStaffMember {
  userId: string;
  role: StaffRole;
  displayName: string;
  /** Null: every location of the tenant (the owner). */
  locationIds: string[] | null;
}

/** Who works where: the people who ring up a location's sales and the one who may void them. */
export interface LocationCrew {
  cashierIds: string[];
  /** Voids need an owner or a manager. */
  supervisorId: string;
}

const MANAGER_NAMES = ['Trần Thị Mai', 'Lê Quốc Bảo', 'Võ Thị Hồng Nhung', 'Đặng Minh Tuấn', 'Huỳnh Thị Kim Ngân', 'Bùi Thanh Phong'];
const STAFF_NAMES = [
  'Nguyễn Thị Lan',
  'Phạm Văn Đức',
  'Hoàng Thị Thảo',
  'Trương Văn Lộc',
  'Đỗ Thị Hạnh',
  'Ngô Minh Khoa',
  'Lý Thị Yến',
  'Dương Văn Tài',
  'Phan Thị Bích',
  'Vũ Hoàng Nam',
  'Mai Thị Hương',
  'Hồ Văn Thắng',
  'Tạ Thị Diễm',
  'Châu Gia Huy',
  'Lâm Thị Ngọc',
  'Cao Văn Sơn',
];

/** How many cashiers each location has, and whether it has a manager of its own. */
const CREW_SIZE: Record<DemoTenant['kind'], { cashiers: number; hasManager: boolean }> = {
  pho_chain: { cashiers: 3, hasManager: true },
  cafe: { cashiers: 3, hasManager: true },
  // The owner runs the cart herself with one helper.
  banh_mi_stand: { cashiers: 1, hasManager: false },
};

/** The tenant's staff list: the owner (the control plane's user id), then each location's crew. */
export function demoStaffOf(tenant: DemoTenant): DemoStaffMember[] {
  const size = CREW_SIZE[tenant.kind];
  const staff: DemoStaffMember[] = [{ userId: tenant.ownerUserId, role: 'owner', displayName: tenant.ownerName, locationIds: null }];
  let nextStaffName = 0;
  tenant.locations.forEach((location, index) => {
    if (size.hasManager) {
      staff.push({
        userId: stableUuid('staff', tenant.slug, location.id, 'manager'),
        role: 'manager',
        displayName: MANAGER_NAMES[index % MANAGER_NAMES.length]!,
        locationIds: [location.id],
      });
    }
    for (let n = 1; n <= size.cashiers; n++) {
      staff.push({
        userId: stableUuid('staff', tenant.slug, location.id, 'cashier', n),
        role: 'staff',
        displayName: STAFF_NAMES[nextStaffName++ % STAFF_NAMES.length]!,
        locationIds: [location.id],
      });
    }
  });
  return staff;
}

/** Each location's crew, by location id. */
export function crewsOf(tenant: DemoTenant, staff: readonly DemoStaffMember[]): Map<string, LocationCrew> {
  const crews = new Map<string, LocationCrew>();
  for (const location of tenant.locations) {
    const local = staff.filter((member) => member.locationIds?.includes(location.id));
    const manager = local.find((member) => member.role === 'manager');
    const cashierIds = local.filter((member) => member.role === 'staff').map((member) => member.userId);
    // Without a manager on site the owner stands at the counter too.
    if (!manager) cashierIds.push(tenant.ownerUserId);
    crews.set(location.id, { cashierIds, supervisorId: manager?.userId ?? tenant.ownerUserId });
  }
  return crews;
}
