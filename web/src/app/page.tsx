'use client';
import { useEffect } from 'react';
import { useI18n } from '../lib/i18n/i18n';
import { currentPlace } from '../lib/place';
import { consumeHandoff, loadSession } from '../lib/session';

/** The start: the owner's overview on app.<domain>, sales entry on a store's host. */
export default function Home() {
  const { t } = useI18n();
  useEffect(() => {
    void consumeHandoff().then(() => {
      const session = loadSession();
      const place = currentPlace();
      if (!session) return window.location.replace('/login/');
      if (place.kind === 'tenant') return window.location.replace(session.tenant?.slug === place.slug ? '/sales/' : '/login/');
      window.location.replace(session.tenant ? (session.tenant.role === 'owner' ? '/owner/' : '/tenants/') : '/tenants/');
    });
  }, []);
  return <p className="centered">{t('common.loading')}</p>;
}
