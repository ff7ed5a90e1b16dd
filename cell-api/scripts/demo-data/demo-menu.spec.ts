import { isUuid } from '@localstore/common';
import { demoMenuOf } from './demo-menu';
import { demoStaffOf } from './demo-staff';
import { DEMO_TENANTS } from './demo-tenants';

describe('the demo menus', () => {
  it('price every dish in round thousands between 25.000 and 95.000 ₫, drinks and extras from 5.000 ₫', () => {
    for (const tenant of DEMO_TENANTS) {
      for (const item of demoMenuOf(tenant).items) {
        expect(item.price % 1_000, item.name).toBe(0);
        expect(item.price, item.name).toBeLessThanOrEqual(95_000);
        expect(item.price, item.name).toBeGreaterThanOrEqual(item.role === 'main' ? 25_000 : 5_000);
        for (const modifier of item.modifiers) {
          expect(modifier.priceDelta % 1_000, modifier.name).toBe(0);
          expect(modifier.priceDelta).toBeLessThanOrEqual(20_000);
        }
      }
    }
  });

  it('write Vietnamese names with their diacritics, in NFC as the search index expects, within the schema limits', () => {
    const names = DEMO_TENANTS.flatMap((tenant) => {
      const menu = demoMenuOf(tenant);
      return [
        ...menu.categories.map((c) => c.name),
        ...menu.items.map((i) => i.name),
        ...menu.items.flatMap((i) => i.modifiers.map((m) => m.name)),
      ];
    });
    expect(names).toContain('Phở bò tái');
    expect(names).toContain('Cà phê sữa đá');
    expect(names).toContain('Bánh mì đặc biệt');
    expect(names).toContain('Không hành');
    for (const name of names) {
      expect(name.normalize('NFC')).toBe(name);
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(100);
    }
    const withDiacritics = names.filter((name) => /[\u0300-\u036f]/.test(name.normalize('NFD')));
    expect(withDiacritics.length / names.length).toBeGreaterThan(0.9);
  });

  it('derive the same ids on every build, distinct within and across tenants', () => {
    const ids = DEMO_TENANTS.flatMap((tenant) => {
      const menu = demoMenuOf(tenant);
      expect(demoMenuOf(tenant)).toEqual(menu);
      return [
        ...menu.categories.map((c) => c.id),
        ...menu.items.map((i) => i.id),
        ...menu.items.flatMap((i) => i.modifiers.map((m) => m.id)),
      ];
    });
    expect(ids.every(isUuid)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('give each tenant its fixed owner and a crew with stable ids', () => {
    for (const tenant of DEMO_TENANTS) {
      const staff = demoStaffOf(tenant);
      expect(staff[0]).toMatchObject({ userId: tenant.ownerUserId, role: 'owner', locationIds: null });
      expect(demoStaffOf(tenant)).toEqual(staff);
      expect(new Set(staff.map((member) => member.userId)).size).toBe(staff.length);
      expect(staff.every((member) => isUuid(member.userId) && member.displayName.length > 0)).toBe(true);
    }
  });
});
