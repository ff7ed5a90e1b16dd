import { en } from './en';
import { vi, type MessageKey } from './vi';

export type Language = 'vi' | 'en';
export type { MessageKey };

const catalogs: Record<Language, Record<MessageKey, string>> = { vi, en };

/** A message in a language, `{name}` placeholders filled in. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  // Keys built at run time (`method.${m}`) may name nothing: show the key, never break the screen.
  const message = catalogs[language][key] ?? catalogs.vi[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
