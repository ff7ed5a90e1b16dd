import { foldVietnamese, matchesSearch } from './search';

describe('menu search', () => {
  it('finds Phở when typed without diacritics', () => {
    expect(matchesSearch('Phở bò tái', 'pho')).toBe(true);
    expect(matchesSearch('Phở bò tái', 'PHO BO')).toBe(true);
  });
  it('treats đ as d, in either case', () => {
    expect(foldVietnamese('Đậu hũ chiên')).toBe('dau hu chien');
    expect(matchesSearch('Cà phê sữa đá', 'ca phe sua da')).toBe(true);
  });
  it('needs every word of the query, in any order', () => {
    expect(matchesSearch('Bánh mì thịt nướng', 'nuong banh')).toBe(true);
    expect(matchesSearch('Bánh mì thịt nướng', 'banh cuon')).toBe(false);
  });
  it('matches text typed in decomposed Unicode (as some Android keyboards send it)', () => {
    expect(matchesSearch('Bún chả', 'bu\u0301n'.normalize('NFD'))).toBe(true);
  });
  it('an empty query matches everything', () => {
    expect(matchesSearch('Chè ba màu', '   ')).toBe(true);
  });
});
