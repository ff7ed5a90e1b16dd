'use client';
import { type FormEvent, useEffect, useState } from 'react';
import { LanguageSwitch } from '../../components/app-shell';
import { GraphQLProblem, platformQuery } from '../../lib/api/graphql';
import { JOIN_WITH_CODE, MY_TENANTS, type TenantMembership } from '../../lib/api/operations';
import { useI18n } from '../../lib/i18n/i18n';
import { tenantOrigin } from '../../lib/place';
import { handoffFor, loadSession, switchTenant } from '../../lib/session';

/** The businesses a person belongs to: owners open the overview here, staff go to the store's own host. */
export default function TenantsPage() {
  const { t } = useI18n();
  const [tenants, setTenants] = useState<TenantMembership[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!loadSession()) return window.location.replace('/login/?next=/tenants/');
    platformQuery<{ myTenants: TenantMembership[] }>(MY_TENANTS).then(
      (answer) => setTenants(answer.myTenants),
      () => setTenants((loadSession()?.tenants ?? []).map((m) => ({ ...m, plan: 'pooled' }))),
    );
  }, []);

  const open = async (tenant: TenantMembership) => {
    setError(null);
    try {
      if (tenant.role === 'owner') {
        await switchTenant(tenant.id);
        window.location.assign('/owner/');
      } else {
        window.location.assign(`${tenantOrigin(tenant.slug)}/sales/#handoff=${encodeURIComponent(await handoffFor(tenant.id))}`);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : t('common.error'));
    }
  };
  const join = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { joinWithCode } = await platformQuery<{ joinWithCode: TenantMembership }>(JOIN_WITH_CODE, { code: code.trim().toUpperCase() });
      setTenants((current) => [...(current ?? []), joinWithCode]);
      setCode('');
    } catch (e) {
      setError(e instanceof GraphQLProblem ? e.message : t('common.error'));
    }
  };

  return (
    <main id="main" className="narrow">
      <div className="login-top">
        <LanguageSwitch />
      </div>
      <h1>{t('tenants.title')}</h1>
      {tenants === null ? (
        <p>{t('common.loading')}</p>
      ) : tenants.length === 0 ? (
        <p>{t('tenants.empty')}</p>
      ) : (
        <ul className="cards">
          {tenants.map((tenant) => (
            <li key={tenant.id} className="card row">
              <span>
                <strong>{tenant.name}</strong>
                <br />
                <span className="muted">
                  {tenant.slug} · {t(`role.${tenant.role}`)}
                </span>
              </span>
              <button type="button" className="primary" onClick={() => void open(tenant)}>
                {t('tenants.open')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void join(e)} className="inline-form">
        <label htmlFor="join-code">{t('tenants.joinCode')}</label>
        <input id="join-code" value={code} maxLength={6} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
        <button type="submit" disabled={code.trim().length !== 6}>
          {t('tenants.join')}
        </button>
      </form>
      <p className="error" role="alert">
        {error}
      </p>
    </main>
  );
}
