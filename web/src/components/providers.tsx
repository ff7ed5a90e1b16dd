'use client';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { I18nProvider, useI18n } from '../lib/i18n/i18n';
import { ToastProvider } from './toasts';

/** What every page shares: the language, the toasts, and the service worker for offline use. */
export function Providers({ children }: { children: ReactNode }) {
  useEffect(() => {
    if ('serviceWorker' in navigator && window.isSecureContext) {
      navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('service worker not registered', error));
    }
  }, []);
  return (
    <I18nProvider>
      <SkipLink />
      <ToastProvider>{children}</ToastProvider>
    </I18nProvider>
  );
}

function SkipLink() {
  const { t } = useI18n();
  return (
    <a className="skip-link" href="#main">
      {t('common.skip')}
    </a>
  );
}
