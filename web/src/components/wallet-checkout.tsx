'use client';
import { useEffect, useRef, useState } from 'react';
import { cellQuery } from '../lib/api/graphql';
import {
  type OrderRow,
  type PaymentCheckout,
  REQUEST_PAYMENT,
  TODAYS_ORDERS,
  WALLET_NAMES,
  type WalletProvider,
} from '../lib/api/operations';
import { formatMoney, formatTime, todayInVietnam } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';
import { connectLive } from '../lib/live';
import { QrCode } from './qr-code';

/** An unpaid order to be paid with a customer's wallet. */
export interface WalletCharge {
  orderId: string;
  locationId: string;
  provider: WalletProvider;
  amount: number;
}

type CheckoutState =
  | { kind: 'opening' }
  | { kind: 'waiting'; checkout: PaymentCheckout }
  | { kind: 'paid'; amount: number }
  | { kind: 'failed'; message: string };

/**
 * The counter's side of a wallet payment: asks the cell for the provider's payment page, shows
 * it as a QR code for the customer's phone, and turns to "paid" when the provider's
 * notification reaches the location (a live event). Closing it leaves the order unpaid, to be
 * collected later from today's orders.
 */
export function WalletCheckout({ slug, charge, onClose }: { slug: string; charge: WalletCharge; onClose(): void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [state, setState] = useState<CheckoutState>({ kind: 'opening' });
  const [attempt, setAttempt] = useState(0);
  const wallet = WALLET_NAMES[charge.provider];
  const messages = useRef({ failed: t('checkout.notPaid'), error: t('common.error') });
  messages.current = { failed: t('checkout.notPaid'), error: t('common.error') };

  useEffect(() => dialog.current?.showModal(), []);
  useEffect(() => {
    let current = true;
    setState({ kind: 'opening' });
    cellQuery<{ requestPayment: PaymentCheckout }>(slug, REQUEST_PAYMENT, { orderId: charge.orderId, provider: charge.provider }).then(
      ({ requestPayment }) => current && setState((s) => (s.kind === 'paid' ? s : { kind: 'waiting', checkout: requestPayment })),
      (error: unknown) => current && setState({ kind: 'failed', message: error instanceof Error ? error.message : messages.current.error }),
    );
    return () => {
      current = false;
    };
  }, [slug, charge, attempt]);
  useEffect(() => {
    // A payment that landed while the socket was down is read from the order itself.
    const check = () =>
      cellQuery<{ orders: { edges: { node: OrderRow }[] } }>(slug, TODAYS_ORDERS, {
        locationId: charge.locationId,
        day: todayInVietnam(),
      }).then(
        ({ orders }) =>
          orders.edges.some((e) => e.node.id === charge.orderId && e.node.paidAt) && setState({ kind: 'paid', amount: charge.amount }),
        () => undefined,
      );
    return connectLive(slug, [charge.locationId], {
      payment: (payment) => {
        if (payment.orderId !== charge.orderId) return;
        setState(payment.succeeded ? { kind: 'paid', amount: payment.amount } : { kind: 'failed', message: messages.current.failed });
      },
      connection: (up) => void (up && check()),
    });
  }, [slug, charge]);

  return (
    <dialog ref={dialog} className="sheet checkout" aria-labelledby="checkout-title" onClose={onClose} data-testid="wallet-checkout">
      <h2 id="checkout-title">{t('checkout.title', { provider: wallet })}</h2>
      <p className="checkout-amount">{formatMoney(charge.amount, language)}</p>
      {state.kind === 'opening' && <p className="muted">{t('checkout.opening')}</p>}
      {state.kind === 'waiting' && (
        <>
          <QrCode
            text={state.checkout.payUrl}
            label={t('checkout.qrLabel', { provider: wallet, amount: formatMoney(charge.amount, language) })}
          />
          <p className="muted">
            {t('checkout.scan', { provider: wallet })} {t('checkout.expires', { time: formatTime(state.checkout.expiresAt) })}
          </p>
          <p>
            <a href={state.checkout.payUrl} target="_blank" rel="noopener noreferrer" data-testid="pay-link">
              {t('checkout.openLink')}
            </a>
          </p>
          <p className="muted" role="status">
            {t('checkout.waiting')}
          </p>
        </>
      )}
      {state.kind === 'paid' && (
        <p className="success" role="status" data-testid="checkout-paid">
          ✓ {t('checkout.paid', { amount: formatMoney(state.amount, language), provider: wallet })}
        </p>
      )}
      {state.kind === 'failed' && (
        <>
          <p className="error" role="alert">
            {state.message}
          </p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            {t('checkout.again')}
          </button>
        </>
      )}
      <div className="actions">
        <button type="button" className={state.kind === 'paid' ? 'primary' : ''} onClick={() => dialog.current?.close()}>
          {state.kind === 'paid' ? t('checkout.done') : t('checkout.later')}
        </button>
      </div>
    </dialog>
  );
}
