'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppShell } from '../../../components/app-shell';
import { Chart } from '../../../components/chart';
import { useLiveNotices } from '../../../components/live-toasts';
import { LocationTodayPanel } from '../../../components/location-today';
import { useToast } from '../../../components/toasts';
import { useSignedIn } from '../../../components/use-session';
import { cellQuery } from '../../../lib/api/graphql';
import {
  type Anomaly,
  APPROVE_RECOMMENDATION,
  DISMISS_RECOMMENDATION,
  type ForecastDay,
  LOCATION_INSIGHTS,
  LOCATIONS,
  type LocationSummary,
  type Recommendation,
  SET_LUNAR,
} from '../../../lib/api/operations';
import { addDays, formatDate, formatTime, todayInVietnam } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';
import type { MessageKey } from '../../../lib/i18n/messages';

interface Insights {
  id: string;
  lunarObservances: boolean;
  forecast: ForecastDay[];
  recommendations: Recommendation[];
  anomalies: Anomaly[];
}

/** One location for its owner: today live, the week's forecast, advice to decide, anomalies. */
export default function OwnerLocationPage() {
  const who = useSignedIn();
  const { t } = useI18n();
  const toast = useToast();
  const notices = useLiveNotices();
  const [locationId, setLocationId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [insights, setInsights] = useState<Insights | null>(null);
  const [menuNames, setMenuNames] = useState<Map<string, string>>(new Map());
  const [item, setItem] = useState<string | null>(null);

  useEffect(() => setLocationId(new URLSearchParams(window.location.search).get('id')), []);
  const load = useCallback(async () => {
    if (!who || !locationId) return;
    const today = todayInVietnam();
    const [answer, locations, menu] = await Promise.all([
      cellQuery<{ location: Insights }>(who.tenant.slug, LOCATION_INSIGHTS, { id: locationId, from: addDays(today, -13), to: today }),
      cellQuery<{ locations: LocationSummary[] }>(who.tenant.slug, LOCATIONS),
      cellQuery<{ menu: { id: string; name: string }[] }>(who.tenant.slug, '{ menu(includeArchived: true) { id name } }'),
    ]);
    setInsights(answer.location);
    setName(locations.locations.find((l) => l.id === locationId)?.name ?? '');
    setMenuNames(new Map(menu.menu.map((m) => [m.id, m.name])));
  }, [who, locationId]);
  useEffect(
    () => void load().catch((e: unknown) => toast(e instanceof Error ? e.message : t('common.error'), 'warning')),
    [load, toast, t],
  );

  const byItem = useMemo(() => {
    const groups = new Map<string, ForecastDay[]>();
    for (const day of insights?.forecast ?? []) groups.set(day.itemId, [...(groups.get(day.itemId) ?? []), day]);
    // The items expected to sell most first: those are the ones to prepare for.
    return [...groups.entries()].sort((a, b) => b[1].reduce((s, d) => s + d.expected, 0) - a[1].reduce((s, d) => s + d.expected, 0));
  }, [insights?.forecast]);
  const shownItem = item ?? byItem[0]?.[0] ?? null;
  const shownDays = byItem.find(([id]) => id === shownItem)?.[1] ?? [];

  const decide = async (recommendation: Recommendation, approve: boolean) => {
    if (!who) return;
    const reason = approve ? undefined : (window.prompt(t('location.dismissReason')) ?? undefined);
    try {
      const mutation = approve ? APPROVE_RECOMMENDATION : DISMISS_RECOMMENDATION;
      const answer = await cellQuery<Record<string, { id: string; status: string }>>(
        who.tenant.slug,
        mutation,
        approve ? { id: recommendation.id } : { id: recommendation.id, reason: reason || null },
      );
      const status = Object.values(answer)[0]!.status;
      setInsights(
        (current) =>
          current && {
            ...current,
            recommendations: current.recommendations.map((r) => (r.id === recommendation.id ? { ...r, status } : r)),
          },
      );
    } catch (e) {
      toast(e instanceof Error ? e.message : t('common.error'), 'warning');
    }
  };
  const toggleLunar = async (on: boolean) => {
    if (!who || !locationId) return;
    await cellQuery(who.tenant.slug, SET_LUNAR, { id: locationId, on });
    setInsights((current) => current && { ...current, lunarObservances: on });
  };

  if (!who || !locationId) return <p className="centered">{t('common.loading')}</p>;
  return (
    <AppShell who={who}>
      <h1>{t('location.title', { name })}</h1>
      <h2 className="section-title">{t('location.today')}</h2>
      <LocationTodayPanel
        slug={who.tenant.slug}
        locationId={locationId}
        extraHandlers={{ ...notices, recommendation: (r) => (notices.recommendation?.(r), void load().catch(() => undefined)) }}
      />
      <section className="panel" aria-labelledby="recommendations">
        <h2 id="recommendations">{t('location.recommendations')}</h2>
        {!insights ? (
          <p>{t('common.loading')}</p>
        ) : insights.recommendations.length === 0 ? (
          <p className="muted">{t('location.recommendationsEmpty')}</p>
        ) : (
          <ul className="cards">
            {insights.recommendations.map((r) => (
              <li key={r.id} className="card" data-testid={`recommendation-${r.id}`}>
                <h3>{r.title}</h3>
                <p>{r.explanation}</p>
                {r.forDate && <p className="muted">{formatDate(r.forDate)}</p>}
                {r.status === 'pending' ? (
                  <div className="actions">
                    <button type="button" className="primary" onClick={() => void decide(r, true)}>
                      {t('location.approve')}
                    </button>
                    <button type="button" onClick={() => void decide(r, false)}>
                      {t('location.dismiss')}
                    </button>
                  </div>
                ) : (
                  <p className="status" data-testid="recommendation-status">
                    {r.status === 'approved' ? t('location.approved') : t('location.dismissed')}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="forecast">
        <h2 id="forecast">{t('location.forecast')}</h2>
        {insights && (
          <label className="checkbox">
            <input type="checkbox" checked={insights.lunarObservances} onChange={(e) => void toggleLunar(e.target.checked)} />{' '}
            {t('location.lunar')}
          </label>
        )}
        {byItem.length === 0 ? (
          <p className="muted">{t('location.forecastEmpty')}</p>
        ) : (
          <>
            <label htmlFor="forecast-item">{t('location.forecastItem')}</label>
            <select id="forecast-item" value={shownItem ?? ''} onChange={(e) => setItem(e.target.value)}>
              {byItem.map(([id]) => (
                <option key={id} value={id}>
                  {menuNames.get(id) ?? id}
                </option>
              ))}
            </select>
            <Chart
              title={t('location.forecast')}
              xLabels={shownDays.map((d) => `${formatDate(d.date).slice(0, 5)}${d.holiday ? ' ★' : ''}`)}
              series={[
                {
                  label: t('location.forecastExpected'),
                  values: shownDays.map((d) => Math.round(d.expected * 10) / 10),
                  color: '#b3122e',
                  bandWith: 2,
                },
                {
                  label: `${t('location.forecastRange')} ↑`,
                  values: shownDays.map((d) => d.high),
                  color: 'rgba(179, 18, 46, 0.35)',
                  dash: [4, 4],
                },
                {
                  label: `${t('location.forecastRange')} ↓`,
                  values: shownDays.map((d) => d.low),
                  color: 'rgba(179, 18, 46, 0.35)',
                  dash: [4, 4],
                },
              ]}
            />
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('location.forecastDate')}</th>
                  <th scope="col">{t('location.forecastExpected')}</th>
                  <th scope="col">{t('location.forecastRange')}</th>
                </tr>
              </thead>
              <tbody>
                {shownDays.map((d) => (
                  <tr key={d.date}>
                    <td>
                      {formatDate(d.date)} {d.holiday && <span className="holiday">{t(`holiday.${d.holiday}` as MessageKey)}</span>}
                    </td>
                    <td className="num">{Math.round(d.expected)}</td>
                    <td className="num">
                      {Math.round(d.low)}–{Math.round(d.high)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="anomalies">
        <h2 id="anomalies">{t('location.anomalies')}</h2>
        {!insights || insights.anomalies.length === 0 ? (
          <p className="muted">{t('location.anomaliesEmpty')}</p>
        ) : (
          <ul className="cards">
            {insights.anomalies.map((a) => (
              <li key={a.id} className={`card severity-${a.severity}`}>
                <strong>{t(`severity.${a.severity}`)}</strong> · {formatDate(a.businessDate)}{' '}
                {a.hour !== null ? `${a.hour}h` : formatTime(a.detectedAt)}
                <p>{a.reason ?? a.details}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </AppShell>
  );
}
