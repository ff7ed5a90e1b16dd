'use client';
import { type FormEvent, useState } from 'react';
import { LanguageSwitch } from '../../components/app-shell';
import { useI18n } from '../../lib/i18n/i18n';
import { currentPlace } from '../../lib/place';
import { ApiProblem, requestCode, type Session, switchTenant, verifyCode } from '../../lib/session';

/** Where to go once signed in: back where the person came from, or their home screen. */
async function landingAfter(session: Session): Promise<string | null> {
  const place = currentPlace();
  const next = new URLSearchParams(window.location.search).get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  if (place.kind === 'tenant') {
    const here = session.tenants.find((m) => m.slug === place.slug);
    if (!here) return null;
    if (session.tenant?.id !== here.id) await switchTenant(here.id);
    return safeNext ?? '/sales/';
  }
  if (session.tenant?.role === 'owner') return safeNext ?? '/owner/';
  return '/tenants/';
}

export default function LoginPage() {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = (e: unknown) =>
    setError(e instanceof ApiProblem ? { text: e.message, ...(e.field ? { field: e.field } : {}) } : { text: t('common.error') });

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSentTo((await requestCode(phone)).phone);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const target = await landingAfter(await verifyCode(sentTo ?? phone, code));
      const place = currentPlace();
      if (target) window.location.assign(target);
      else setError({ text: t('login.notMember', { slug: place.kind === 'tenant' ? place.slug : '' }) });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <div className="login-top">
        <LanguageSwitch />
      </div>
      <h1>{t('app.name')}</h1>
      <p className="muted">{t('app.tagline')}</p>
      <h2>{t('login.title')}</h2>
      {sentTo === null ? (
        <form onSubmit={(e) => void send(e)} noValidate>
          <label htmlFor="phone">{t('login.phone')}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            placeholder={t('login.phoneHint')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            aria-invalid={error?.field === 'phone'}
            aria-describedby="login-error"
            required
          />
          <button type="submit" className="primary" disabled={busy || phone.trim() === ''}>
            {t('login.sendCode')}
          </button>
        </form>
      ) : (
        <form onSubmit={(e) => void verify(e)} noValidate>
          <p>{t('login.codeSent', { phone: sentTo })}</p>
          <label htmlFor="code">{t('login.code')}</label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            aria-invalid={error?.field === 'code'}
            aria-describedby="login-error"
            required
            autoFocus
          />
          <button type="submit" className="primary" disabled={busy || code.length !== 6}>
            {t('login.verify')}
          </button>
          <button type="button" className="link-button" onClick={() => (setSentTo(null), setCode(''))}>
            {t('login.changePhone')}
          </button>
        </form>
      )}
      <p id="login-error" className="error" role="alert">
        {error?.text}
      </p>
    </main>
  );
}
