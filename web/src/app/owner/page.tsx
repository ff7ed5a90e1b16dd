'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AppShell } from '../../components/app-shell';
import { Chart } from '../../components/chart';
import { Kpi } from '../../components/kpi';
import { useLiveNotices } from '../../components/live-toasts';
import { PaymentMix, TopItems } from '../../components/payment-mix';
import { useSignedIn } from '../../components/use-session';
import { cellQuery } from '../../lib/api/graphql';
import { DASHBOARD, type Dashboard, type Totals } from '../../lib/api/operations';
import { applyDelta, type Period, rangesOf } from '../../lib/dashboard-math';
import { formatCount, formatDate, formatDongShort, formatMoney, todayInVietnam } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { connectLive } from '../../lib/live';

interface Figures {
  current: Dashboard;
  lastWeek: { totals: Totals };
  lastYear: { totals: Totals };
}

/** The owner's overview across every location, live as sales and payments arrive. */
export default function OwnerDashboardPage() {
  const who = useSignedIn();
  const { t, language } = useI18n();
  const [period, setPeriod] = useState<Period>('today');
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const notices = useLiveNotices();
  const ranges = useMemo(() => rangesOf(period, todayInVietnam()), [period]);
  const refetchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const load = useCallback(async () => {
    if (!who) return;
    try {
      setFigures(
        await cellQuery<Figures>(who.tenant.slug, DASHBOARD, { range: ranges.range, lastWeek: ranges.previous, lastYear: ranges.lastYear }),
      );
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.error'));
    }
  }, [who, ranges, t]);
  useEffect(() => void load(), [load]);
  // The socket outlives a change of period or language: it calls whatever is current.
  const latest = useRef({ load, notices });
  latest.current = { load, notices };

  const currentLocations = figures?.current.locations;
  const locationIds = useMemo(() => currentLocations?.map((l) => l.locationId) ?? [], [currentLocations]);
  const locationKey = locationIds.join(',');
  useEffect(() => {
    if (!who || locationKey === '') return;
    return connectLive(who.tenant.slug, locationKey.split(','), {
      payment: (payment) => latest.current.notices.payment?.(payment),
      recommendation: (recommendation) => latest.current.notices.recommendation?.(recommendation),
      anomaly: (anomaly) => latest.current.notices.anomaly?.(anomaly),
      delta: (delta) => setFigures((f) => (f ? { ...f, current: applyDelta(f.current, delta) } : f)),
      // Best sellers are not in a delta: read them again once the burst of sales settles.
      sale: () => {
        clearTimeout(refetchTimer.current);
        refetchTimer.current = setTimeout(() => void latest.current.load(), 4000);
      },
      resync: () => void latest.current.load(),
      connection: setConnected,
    });
  }, [who, locationKey]);

  if (!who) return <p className="centered">{t('common.loading')}</p>;
  const current = figures?.current;
  return (
    <AppShell who={who}>
      <div className="page-head">
        <h1>{t('dashboard.title')}</h1>
        <span className={`live-dot ${connected ? 'on' : ''}`} data-testid="live-state">
          {connected ? t('dashboard.live') : t('dashboard.reconnecting')}
        </span>
      </div>
      <div className="segmented" role="radiogroup" aria-label={t('period.label')}>
        {(['today', 'week', 'month'] as const).map((p) => (
          <button key={p} type="button" role="radio" aria-checked={period === p} onClick={() => setPeriod(p)}>
            {t(`period.${p}`)}
          </button>
        ))}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}{' '}
          <button type="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!current ? (
        <p>{t('common.loading')}</p>
      ) : (
        <>
          <p className="muted">
            {current.from === current.to ? formatDate(current.from) : `${formatDate(current.from)} – ${formatDate(current.to)}`}
          </p>
          <div className="kpis">
            <Kpi
              testId="kpi-revenue"
              label={t('kpi.revenue')}
              value={formatMoney(current.totals.revenue, language)}
              now={current.totals.revenue}
              comparisons={[
                { label: ranges.previousLabel, before: figures.lastWeek.totals.revenue },
                { label: 'kpi.vsLastYear', before: figures.lastYear.totals.revenue },
              ]}
            />
            <Kpi
              testId="kpi-orders"
              label={t('kpi.orders')}
              value={formatCount(current.totals.orders, language)}
              now={current.totals.orders}
              comparisons={[
                { label: ranges.previousLabel, before: figures.lastWeek.totals.orders },
                { label: 'kpi.vsLastYear', before: figures.lastYear.totals.orders },
              ]}
            />
            <Kpi
              testId="kpi-ticket"
              label={t('kpi.averageTicket')}
              value={formatMoney(current.totals.averageTicket, language)}
              now={current.totals.averageTicket}
              comparisons={[
                { label: ranges.previousLabel, before: figures.lastWeek.totals.averageTicket },
                { label: 'kpi.vsLastYear', before: figures.lastYear.totals.averageTicket },
              ]}
            />
          </div>
          {period !== 'today' && current.daily.length > 0 && (
            <section className="panel">
              <h2>{t('dashboard.daily')}</h2>
              <Chart
                title={t('dashboard.daily')}
                xLabels={current.daily.map((d) => formatDate(d.date).slice(0, 5))}
                series={[{ label: t('kpi.revenue'), values: current.daily.map((d) => d.revenue), color: '#b3122e', bars: true }]}
                format={(v) => formatDongShort(v, language)}
              />
            </section>
          )}
          <section className="panel">
            <h2>{t('dashboard.locations')}</h2>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.locations')}</th>
                  <th scope="col">{t('kpi.revenue')}</th>
                  <th scope="col">{t('kpi.orders')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('dashboard.drillDown')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {current.locations.map((l) => (
                  <tr key={l.locationId} data-testid={`location-${l.locationId}`}>
                    <td>{l.name}</td>
                    <td className="num">{formatMoney(l.totals.revenue, language)}</td>
                    <td className="num">{formatCount(l.totals.orders, language)}</td>
                    <td>
                      <a href={`/owner/location/?id=${l.locationId}`}>{t('dashboard.drillDown')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <div className="two-columns">
            <PaymentMix mix={current.paymentMix} />
            <TopItems items={current.topItems} />
          </div>
        </>
      )}
    </AppShell>
  );
}
