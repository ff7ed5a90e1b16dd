'use client';
import { AppShell } from '../../components/app-shell';
import { useLiveNotices } from '../../components/live-toasts';
import { LocationTodayPanel } from '../../components/location-today';
import { useStoreLocation } from '../../components/use-store-location';
import { useSignedIn } from '../../components/use-session';
import { useI18n } from '../../lib/i18n/i18n';

/** The location's live dashboard, for the counter's second screen or a manager's phone. */
export default function LivePage() {
  const who = useSignedIn();
  const { t } = useI18n();
  const notices = useLiveNotices();
  const { locations, locationId } = useStoreLocation(who);
  if (!who) return <p className="centered">{t('common.loading')}</p>;
  return (
    <AppShell who={who}>
      <h1>{locations?.find((l) => l.id === locationId)?.name ?? t('nav.live')}</h1>
      {locationId && <LocationTodayPanel slug={who.tenant.slug} locationId={locationId} extraHandlers={{ payment: notices.payment }} />}
    </AppShell>
  );
}
