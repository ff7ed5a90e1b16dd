import { SLUG_PATTERN } from './tenant-host';

/** Subdomains that name the platform itself, never a business. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'app',
  'api',
  'www',
  'admin',
  'mail',
  'smtp',
  'static',
  'assets',
  'cdn',
  'status',
  'help',
  'support',
  'docs',
  'auth',
  'login',
  'signup',
  'billing',
  'internal',
  'grafana',
  'metrics',
  'ws',
  'socket',
  'localstore',
]);

/** Vietnamese text without diacritics: `Phở Bò Hà Nội` → `Pho Bo Ha Noi` (đ → d as well). */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** A subdomain from a business name: `Phở Bò Hà Nội` → `pho-bo-ha-noi`; empty when nothing usable is left. */
export function slugFromName(name: string): string {
  return withoutDiacritics(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
}

export function isUsableSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug) && !RESERVED_SLUGS.has(slug) && slug.length >= 3;
}
