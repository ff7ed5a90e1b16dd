'use client';
import type { ReactNode } from 'react';
import { useI18n } from '../lib/i18n/i18n';
import type { MessageKey } from '../lib/i18n/messages';
import { signOut } from '../lib/session';
import { type SignedIn, useOnline } from './use-session';

const PLATFORM_NAV: [string, MessageKey][] = [
  ['/owner/', 'nav.dashboard'],
  ['/owner/team/', 'nav.team'],
  ['/owner/billing/', 'nav.billing'],
  ['/tenants/', 'nav.tenants'],
];
const STORE_NAV: [string, MessageKey][] = [
  ['/sales/', 'nav.sales'],
  ['/orders/', 'nav.orders'],
  ['/live/', 'nav.live'],
];

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <button
      type="button"
      className="link-button"
      aria-label={t('lang.label')}
      onClick={() => setLanguage(language === 'vi' ? 'en' : 'vi')}
      data-testid="language-switch"
    >
      {t('lang.switch')}
    </button>
  );
}

/** The frame of every signed-in screen: who and where, the navigation, the connection state. */
export function AppShell({ who, children }: { who: SignedIn; children: ReactNode }) {
  const { t } = useI18n();
  const online = useOnline();
  const nav = who.place.kind === 'platform' ? PLATFORM_NAV : STORE_NAV;
  const here = typeof window === 'undefined' ? '' : window.location.pathname;
  return (
    <>
      <header className="topbar">
        <a className="brand" href="/">
          {t('app.name')}
        </a>
        <span className="tenant-name" data-testid="tenant-name">
          {who.tenant.name} · {t(`role.${who.tenant.role}`)}
        </span>
        <span className="topbar-actions">
          <LanguageSwitch />
          <button type="button" className="link-button" onClick={() => void signOut().then(() => window.location.assign('/login/'))}>
            {t('nav.signOut')}
          </button>
        </span>
      </header>
      <nav className="tabs" aria-label={t('nav.main')}>
        {nav.map(([href, label]) => (
          <a key={href} href={href} aria-current={here === href ? 'page' : undefined}>
            {t(label)}
          </a>
        ))}
      </nav>
      {!online && (
        <p className="banner offline" role="alert" data-testid="offline-banner">
          {t('common.offline')}
        </p>
      )}
      <main id="main">{children}</main>
    </>
  );
}
