'use client';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { AppShell } from '../../../components/app-shell';
import { useNotice } from '../../../components/use-notice';
import { useSignedIn } from '../../../components/use-session';
import { platformQuery } from '../../../lib/api/graphql';
import {
  CHANGE_PLAN,
  CONNECT_PROVIDER,
  MY_TENANTS,
  PROVIDER_ACCOUNTS,
  type ProviderAccount,
  type TenantMembership,
  WALLET_NAMES as PROVIDER_NAMES,
  type WalletProvider as Provider,
} from '../../../lib/api/operations';
import { formatDateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';
import type { MessageKey } from '../../../lib/i18n/messages';

/** The secrets each provider's merchant portal issues, by the names the API takes. */
const PROVIDER_FIELDS: Record<Provider, { name: string; label: string }[]> = {
  momo: [
    { name: 'accessKey', label: 'accessKey' },
    { name: 'secretKey', label: 'secretKey' },
  ],
  zalopay: [
    { name: 'key1', label: 'key1' },
    { name: 'key2', label: 'key2' },
  ],
  vnpay: [{ name: 'hashSecret', label: 'vnp_HashSecret' }],
};

/** The plan, and the business's own wallet merchant accounts. */
export default function BillingPage() {
  const who = useSignedIn();
  const { t } = useI18n();
  const [plan, setPlan] = useState<string | null>(null);
  const [provider, setProvider] = useState<Provider>('momo');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [accounts, setAccounts] = useState<ProviderAccount[] | null>(null);
  const { attempt, view: noticeView } = useNotice();
  const tenantId = who?.tenant.id;
  useEffect(() => {
    if (!tenantId) return;
    platformQuery<{ myTenants: TenantMembership[] }>(MY_TENANTS).then(
      ({ myTenants }) => setPlan(myTenants.find((m) => m.id === tenantId)?.plan ?? null),
      () => undefined,
    );
  }, [tenantId]);
  const loadAccounts = useCallback(async () => {
    if (tenantId)
      setAccounts(
        (await platformQuery<{ paymentProviderAccounts: ProviderAccount[] }>(PROVIDER_ACCOUNTS, { tenantId })).paymentProviderAccounts,
      );
  }, [tenantId]);
  useEffect(() => void loadAccounts().catch(() => undefined), [loadAccounts]);
  const otherPlan = plan === 'dedicated' ? 'pooled' : 'dedicated';
  const connect = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const { connectPaymentProvider } = await platformQuery<{ connectPaymentProvider: { provider: string; merchantCode: string } }>(
        CONNECT_PROVIDER,
        { input: { tenantId, provider, ...fields } },
      );
      setFields({});
      await loadAccounts().catch(() => undefined);
      return t('billing.connected', { provider: connectPaymentProvider.provider, code: connectPaymentProvider.merchantCode });
    });
  };
  if (!who) return <p className="centered">{t('common.loading')}</p>;
  return (
    <AppShell who={who}>
      <h1>{t('billing.title')}</h1>
      <section className="panel">
        <h2>{t('billing.plan')}</h2>
        <p data-testid="plan">{plan ? t(`billing.plan.${plan}` as MessageKey) : t('common.loading')}</p>
        {plan && (
          <button
            type="button"
            onClick={() =>
              void attempt(
                async () => (
                  setPlan(
                    (await platformQuery<{ changePlan: { plan: string } }>(CHANGE_PLAN, { tenantId, plan: otherPlan })).changePlan.plan,
                  ),
                  t('billing.planChanged')
                ),
              )
            }
          >
            {t('billing.changeTo', { plan: t(`billing.plan.${otherPlan}`) })}
          </button>
        )}
      </section>
      <section className="panel">
        <h2>{t('billing.providers')}</h2>
        {accounts && accounts.length === 0 && <p className="muted">{t('billing.noProviders')}</p>}
        {accounts && accounts.length > 0 && (
          <table className="table" data-testid="provider-accounts">
            <thead>
              <tr>
                <th scope="col">{t('billing.provider')}</th>
                <th scope="col">{t('billing.merchantCode')}</th>
                <th scope="col">{t('billing.connectedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.provider} data-testid={`provider-${a.provider}`}>
                  <td>{PROVIDER_NAMES[a.provider]}</td>
                  <td>{a.merchantCode}</td>
                  <td>{formatDateTime(a.connectedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>{t('billing.connectNew')}</h3>
        <form onSubmit={connect} className="stacked-form">
          <label htmlFor="provider">{t('billing.provider')}</label>
          <select id="provider" value={provider} onChange={(e) => (setProvider(e.target.value as Provider), setFields({}))}>
            {(Object.keys(PROVIDER_NAMES) as Provider[]).map((p) => (
              <option key={p} value={p}>
                {PROVIDER_NAMES[p]}
              </option>
            ))}
          </select>
          <label htmlFor="merchantCode">{t('billing.merchantCode')}</label>
          <input
            id="merchantCode"
            value={fields.merchantCode ?? ''}
            onChange={(e) => setFields((f) => ({ ...f, merchantCode: e.target.value }))}
            required
            autoComplete="off"
          />
          {PROVIDER_FIELDS[provider].map((f) => (
            <span key={f.name} className="field">
              <label htmlFor={f.name}>{f.label}</label>
              <input
                id={f.name}
                type="password"
                autoComplete="off"
                value={fields[f.name] ?? ''}
                onChange={(e) => setFields((all) => ({ ...all, [f.name]: e.target.value }))}
                required
              />
            </span>
          ))}
          <p className="muted">{t('billing.secretHint')}</p>
          <button type="submit" className="primary">
            {t('billing.connect')}
          </button>
        </form>
      </section>
      {noticeView}
    </AppShell>
  );
}
