'use client';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { AppShell } from '../../../components/app-shell';
import { useNotice } from '../../../components/use-notice';
import { useSignedIn } from '../../../components/use-session';
import { platformQuery } from '../../../lib/api/graphql';
import { CREATE_JOIN_CODE, INVITE_MEMBER, type Member, MEMBERS } from '../../../lib/api/operations';
import { formatDate } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';

/** The team of the business: who is in it, invites by phone, and join codes for the counter. */
export default function TeamPage() {
  const who = useSignedIn();
  const { t } = useI18n();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [phone, setPhone] = useState('');
  const [role, setRole] = useState('staff');
  const [codeRole, setCodeRole] = useState('staff');
  const [ttl, setTtl] = useState('72');
  const { attempt, view: noticeView } = useNotice();
  const tenantId = who?.tenant.id;
  const load = useCallback(async () => {
    if (tenantId) setMembers((await platformQuery<{ members: Member[] }>(MEMBERS, { tenantId })).members);
  }, [tenantId]);
  useEffect(() => void load().catch(() => undefined), [load]);
  const invite = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const { inviteMember } = await platformQuery<{ inviteMember: { phone: string } }>(INVITE_MEMBER, {
        input: { tenantId, phone, role },
      });
      setPhone('');
      return t('team.inviteSent', { phone: inviteMember.phone });
    });
  };
  const createCode = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const { createJoinCode } = await platformQuery<{ createJoinCode: { code: string; expiresAt: string } }>(CREATE_JOIN_CODE, {
        input: { tenantId, role: codeRole, ttlHours: Number(ttl) },
      });
      return t('team.joinCodeCreated', { code: createJoinCode.code, date: formatDate(createJoinCode.expiresAt.slice(0, 10)) });
    });
  };
  if (!who) return <p className="centered">{t('common.loading')}</p>;
  return (
    <AppShell who={who}>
      <h1>{t('team.title')}</h1>
      <section className="panel">
        <h2>{t('team.members')}</h2>
        <ul className="cards">
          {(members ?? []).map((m) => (
            <li key={m.userId} className="card row">
              <span>{m.displayName ?? m.phone}</span>
              <span className="muted">{t(`role.${m.role as 'owner' | 'manager' | 'staff'}`)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel">
        <h2>{t('team.invite')}</h2>
        <form onSubmit={invite} className="inline-form">
          <label htmlFor="invite-phone">{t('login.phone')}</label>
          <input
            id="invite-phone"
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            placeholder={t('login.phoneHint')}
            required
          />
          <label htmlFor="invite-role">{t('team.role')}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {(['staff', 'manager', 'owner'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="primary">
            {t('team.invite')}
          </button>
        </form>
      </section>
      <section className="panel">
        <h2>{t('team.joinCode')}</h2>
        <form onSubmit={createCode} className="inline-form">
          <label htmlFor="code-role">{t('team.role')}</label>
          <select id="code-role" value={codeRole} onChange={(e) => setCodeRole(e.target.value)}>
            {(['staff', 'manager'] as const).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor="code-ttl">{t('team.ttlHours')}</label>
          <input id="code-ttl" inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value.replace(/\D/g, ''))} />
          <button type="submit">{t('team.joinCode')}</button>
        </form>
      </section>
      {noticeView}
    </AppShell>
  );
}
