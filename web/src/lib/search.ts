/**
 * Folds Vietnamese text for matching: lower case, tone marks and vowel marks removed, đ as
 * d, so "pho" finds "Phở" and "banh mi" finds "Bánh mì".
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether every word of the query appears in the text, diacritics ignored. */
export function matchesSearch(text: string, query: string): boolean {
  const words = foldVietnamese(query).split(' ').filter(Boolean);
  const folded = foldVietnamese(text);
  return words.every((word) => folded.includes(word));
}
