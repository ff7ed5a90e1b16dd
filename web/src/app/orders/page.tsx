'use client';
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { AppShell } from '../../components/app-shell';
import { useToast } from '../../components/toasts';
import { WalletCheckout } from '../../components/lazy-wallet-checkout';
import type { WalletCharge } from '../../components/wallet-checkout';
import { useStoreLocation } from '../../components/use-store-location';
import { useSignedIn } from '../../components/use-session';
import { cellQuery } from '../../lib/api/graphql';
import { type OrderRow, TODAYS_ORDERS, VOID_ORDER, WALLET_NAMES, walletOf } from '../../lib/api/operations';
import { formatMoney, formatTime, todayInVietnam } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { connectLive } from '../../lib/live';

/** Today's orders at this location, newest first, live; managers void with a reason. */
export default function OrdersPage() {
  const who = useSignedIn();
  const { t, language } = useI18n();
  const toast = useToast();
  const { locationId } = useStoreLocation(who);
  const [orders, setOrders] = useState<OrderRow[] | null>(null);
  const [voiding, setVoiding] = useState<OrderRow | null>(null);
  const [charge, setCharge] = useState<WalletCharge | null>(null);
  const slug = who?.tenant.slug;
  const load = useCallback(async () => {
    if (!slug || !locationId) return;
    const answer = await cellQuery<{ orders: { edges: { node: OrderRow }[] } }>(slug, TODAYS_ORDERS, { locationId, day: todayInVietnam() });
    setOrders(answer.orders.edges.map((e) => e.node));
  }, [slug, locationId]);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => void load().catch(() => undefined), [load]);
  useEffect(() => {
    if (!slug || !locationId) return;
    return connectLive(slug, [locationId], {
      sale: () => void latest.current().catch(() => undefined),
      voided: () => void latest.current().catch(() => undefined),
      payment: () => void latest.current().catch(() => undefined),
    });
  }, [slug, locationId]);

  if (!who) return <p className="centered">{t('common.loading')}</p>;
  const canVoid = who.tenant.role !== 'staff';
  return (
    <AppShell who={who}>
      <h1>{t('orders.title')}</h1>
      {orders === null ? (
        <p>{t('common.loading')}</p>
      ) : orders.length === 0 ? (
        <p className="muted">{t('orders.empty')}</p>
      ) : (
        <ul className="cards">
          {orders.map((o) => {
            // An unpaid wallet order is collected here when it was not at the sale (offline, or the customer came back).
            const wallet = walletOf(o.paymentMethod);
            const collectable = wallet !== null && o.status === 'COMPLETED' && !o.paidAt && locationId !== null;
            return (
              <li key={o.id} className={`card row ${o.status === 'VOIDED' ? 'voided' : ''}`} data-testid="order-row">
                <span>
                  <strong>{formatTime(o.createdAt)}</strong> · {formatMoney(o.total, language)} · {t(`method.${o.paymentMethod}`)}
                  <br />
                  <span className="muted">{o.items.map((i) => `${i.quantity}× ${i.name}`).join(', ')}</span>
                  <br />
                  <span className="muted">
                    {o.status === 'VOIDED'
                      ? `${t('orders.voided')}: ${o.voidReason ?? ''}`
                      : o.paidAt
                        ? t('orders.paid')
                        : t('orders.unpaid')}
                  </span>
                </span>
                <span className="row-actions">
                  {collectable && (
                    <button type="button" onClick={() => setCharge({ orderId: o.id, locationId, provider: wallet, amount: o.total })}>
                      {t('orders.collect', { provider: WALLET_NAMES[wallet] })}
                    </button>
                  )}
                  {canVoid && o.status === 'COMPLETED' && (
                    <button type="button" onClick={() => setVoiding(o)}>
                      {t('orders.void')}
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {charge && slug && (
        <Suspense fallback={null}>
          <WalletCheckout
            slug={slug}
            charge={charge}
            onClose={() => {
              setCharge(null);
              void load().catch(() => undefined);
            }}
          />
        </Suspense>
      )}
      {voiding && (
        <VoidDialog
          order={voiding}
          onClose={() => setVoiding(null)}
          onVoid={async (reason) => {
            try {
              await cellQuery(who.tenant.slug, VOID_ORDER, { id: voiding.id, reason });
              toast(t('toast.voided'), 'success');
              setVoiding(null);
              await load();
            } catch (e) {
              return e instanceof Error ? e.message : t('common.error');
            }
            return null;
          }}
        />
      )}
    </AppShell>
  );
}

function VoidDialog({ order, onClose, onVoid }: { order: OrderRow; onClose(): void; onVoid(reason: string): Promise<string | null> }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => dialog.current?.showModal(), []);
  return (
    <dialog ref={dialog} className="sheet" aria-labelledby="void-title" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onVoid(reason.trim()).then(setProblem);
        }}
      >
        <h2 id="void-title">
          {t('orders.void')} · {formatMoney(order.total, language)}
        </h2>
        <label htmlFor="void-reason">{t('orders.voidReason')}</label>
        <input
          id="void-reason"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          required
          aria-describedby="void-problem"
        />
        <p id="void-problem" className="error" role="alert">
          {problem}
        </p>
        <div className="actions">
          <button type="submit" className="primary danger" disabled={reason.trim() === ''}>
            {t('orders.voidConfirm')}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
