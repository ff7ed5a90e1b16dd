import type { MessageParams } from '@localstore/common';
import { en, enConstraints } from './en';
import { vi, viConstraints } from './vi';

export type Language = 'vi' | 'en';

const CATALOGS: Record<Language, Record<string, string>> = { vi, en };
const CONSTRAINTS: Record<Language, Record<string, string>> = { vi: viConstraints, en: enConstraints };

/** Vietnamese unless the client asked for English first. */
export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'vi';
}

/** The message for `reason`, falling back to Vietnamese, then to the generic one. */
export function renderMessage(language: Language, reason: string, params: MessageParams & { field?: string }): string {
  const template = CATALOGS[language][reason] ?? vi[reason] ?? CATALOGS[language].INTERNAL!;
  const detail = reason === 'INVALID_INPUT' ? renderConstraint(language, String(params.constraint), params) : '';
  return fill(template, { detail, ...params });
}

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? ''));
}

/** The message for an input constraint, used as INVALID_INPUT's detail. */
export function renderConstraint(language: Language, constraint: string, params: MessageParams): string {
  const catalog = CONSTRAINTS[language];
  return fill(catalog[constraint] ?? catalog.unknown!, params);
}
