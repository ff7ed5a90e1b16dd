import { isUsableSlug, slugFromName, withoutDiacritics } from './slug';

describe('subdomains from Vietnamese business names', () => {
  it('drops diacritics and joins words with dashes', () => {
    expect(slugFromName('Phở Bò Hà Nội')).toBe('pho-bo-ha-noi');
    expect(slugFromName('  Bánh Mì Cô Ba — Chợ Bàn Cờ!! ')).toBe('banh-mi-co-ba-cho-ban-co');
    expect(slugFromName('Đồ Ăn Đêm Đà Lạt')).toBe('do-an-dem-da-lat');
    expect(withoutDiacritics('Cà phê sữa đá')).toBe('Ca phe sua da');
  });

  it('keeps slugs within a DNS label and refuses reserved words', () => {
    expect(slugFromName('Quán '.repeat(40)).length).toBeLessThanOrEqual(50);
    expect(isUsableSlug('app')).toBe(false);
    expect(isUsableSlug('admin')).toBe(false);
    expect(isUsableSlug('pho-bo-ha-noi')).toBe(true);
    expect(isUsableSlug('ab')).toBe(false);
    expect(isUsableSlug(slugFromName('!!!'))).toBe(false);
  });
});
