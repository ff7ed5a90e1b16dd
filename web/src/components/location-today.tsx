'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { cellQuery } from '../lib/api/graphql';
import { LOCATION_TODAY, type LocationToday } from '../lib/api/operations';
import { applyDeltaToday } from '../lib/dashboard-math';
import { formatCount, formatDongShort, formatMoney, todayInVietnam } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';
import { connectLive, type LiveHandlers } from '../lib/live';
import { Chart } from './chart';
import { Kpi } from './kpi';
import { PaymentMix, TopItems } from './payment-mix';

/** One location's today, live: the figures, the hours, how people paid, what sold. */
export function LocationTodayPanel({
  slug,
  locationId,
  extraHandlers,
}: {
  slug: string;
  locationId: string;
  extraHandlers?: Partial<LiveHandlers>;
}) {
  const { t, language } = useI18n();
  const [today, setToday] = useState<LocationToday | null>(null);
  const [connected, setConnected] = useState(false);
  const refetch = useRef<ReturnType<typeof setTimeout>>(undefined);
  const load = useCallback(async () => {
    setToday((await cellQuery<{ location: LocationToday }>(slug, LOCATION_TODAY, { id: locationId })).location);
  }, [slug, locationId]);
  const latest = useRef({ load, extraHandlers });
  latest.current = { load, extraHandlers };
  useEffect(() => void load().catch(() => undefined), [load]);
  useEffect(
    () =>
      connectLive(slug, [locationId], {
        delta: (delta) => setToday((current) => (current ? applyDeltaToday(current, delta, todayInVietnam()) : current)),
        sale: () => {
          clearTimeout(refetch.current);
          refetch.current = setTimeout(() => void latest.current.load().catch(() => undefined), 4000);
        },
        payment: (p) => latest.current.extraHandlers?.payment?.(p),
        recommendation: (r) => latest.current.extraHandlers?.recommendation?.(r),
        anomaly: (a) => latest.current.extraHandlers?.anomaly?.(a),
        resync: () => void latest.current.load().catch(() => undefined),
        connection: setConnected,
      }),
    [slug, locationId],
  );
  if (!today) return <p>{t('common.loading')}</p>;
  const hours = Array.from({ length: 24 }, (_, hour) => today.hourlyTrends.find((h) => h.hour === hour)?.revenue ?? 0);
  const firstHour = Math.max(0, hours.findIndex((v) => v > 0) - 1);
  return (
    <>
      <p className="muted">
        <span className={`live-dot ${connected ? 'on' : ''}`} data-testid="live-state">
          {connected ? t('dashboard.live') : t('dashboard.reconnecting')}
        </span>
      </p>
      <div className="kpis">
        <Kpi
          testId="kpi-revenue"
          label={t('kpi.revenue')}
          value={formatMoney(today.todayRevenue, language)}
          now={today.todayRevenue}
          comparisons={[{ label: 'kpi.vsLastWeek', before: today.comparison.sameTimeLastWeekRevenue }]}
        />
        <Kpi
          testId="kpi-orders"
          label={t('kpi.orders')}
          value={formatCount(today.todayOrders, language)}
          now={today.todayOrders}
          comparisons={[{ label: 'kpi.vsLastWeek', before: today.comparison.sameWeekdayLastWeekOrders }]}
        />
        <Kpi
          testId="kpi-ticket"
          label={t('kpi.averageTicket')}
          value={formatMoney(today.averageTicket, language)}
          now={today.averageTicket}
          comparisons={[]}
        />
      </div>
      <section className="panel">
        <h2>{t('dashboard.hourly')}</h2>
        <Chart
          title={t('dashboard.hourly')}
          xLabels={hours.slice(firstHour).map((_, i) => `${firstHour + i}h`)}
          series={[{ label: t('kpi.revenue'), values: hours.slice(firstHour), color: '#b3122e', bars: true }]}
          format={(v) => formatDongShort(v, language)}
        />
      </section>
      <div className="two-columns">
        <PaymentMix mix={today.paymentMix} />
        <TopItems items={today.topItems} />
      </div>
    </>
  );
}
