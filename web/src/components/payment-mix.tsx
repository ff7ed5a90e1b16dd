'use client';
import type { PaymentMixEntry, TopItem } from '../lib/api/operations';
import { formatMoney } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';

export function PaymentMix({ mix }: { mix: PaymentMixEntry[] }) {
  const { t, language } = useI18n();
  const total = mix.reduce((sum, m) => sum + m.amount, 0);
  return (
    <section className="panel">
      <h2>{t('dashboard.paymentMix')}</h2>
      {mix.length === 0 ? (
        <p className="muted">{t('common.none')}</p>
      ) : (
        <ul className="bars">
          {[...mix]
            .sort((a, b) => b.amount - a.amount)
            .map((m) => (
              <li key={m.method} data-testid={`mix-${m.method}`}>
                <span className="bar-label">{t(`method.${m.method}`)}</span>
                <span className="bar-track">
                  <span className="bar-fill" style={{ width: `${total > 0 ? Math.round((m.amount / total) * 100) : 0}%` }} />
                </span>
                <span className="bar-value">{formatMoney(m.amount, language)}</span>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

export function TopItems({ items }: { items: TopItem[] }) {
  const { t, language } = useI18n();
  return (
    <section className="panel">
      <h2>{t('dashboard.topItems')}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('common.none')}</p>
      ) : (
        <ol className="top-items">
          {items.map((item) => (
            <li key={item.itemId}>
              <span>{item.name}</span>
              <span className="muted">{t('dashboard.sold', { n: item.quantity })}</span>
              <span>{formatMoney(item.revenue, language)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
