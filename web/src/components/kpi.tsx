'use client';
import { percentChange } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';
import type { MessageKey } from '../lib/i18n/messages';

export interface Comparison {
  label: MessageKey;
  before: number;
}

/** One figure with its comparisons: `+12,5 % so với tuần trước`. */
export function Kpi({
  label,
  value,
  now,
  comparisons,
  testId,
}: {
  label: string;
  value: string;
  now: number;
  comparisons: Comparison[];
  testId?: string;
}) {
  const { t, language } = useI18n();
  return (
    <section className="kpi" aria-label={label}>
      <h3>{label}</h3>
      <p className="kpi-value" data-testid={testId}>
        {value}
      </p>
      <ul className="kpi-compare">
        {comparisons.map((c) => {
          const change = percentChange(now, c.before);
          const text =
            change === null
              ? t('kpi.noBase')
              : `${change > 0 ? '+' : ''}${new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-US').format(change)} % ${t(c.label)}`;
          return (
            <li key={c.label} className={change === null ? '' : change >= 0 ? 'up' : 'down'}>
              {text}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
