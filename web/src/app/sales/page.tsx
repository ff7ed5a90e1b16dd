'use client';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AppShell } from '../../components/app-shell';
import { useToast } from '../../components/toasts';
import { WalletCheckout } from '../../components/lazy-wallet-checkout';
import type { WalletCharge } from '../../components/wallet-checkout';
import { useStoreLocation } from '../../components/use-store-location';
import { useSignedIn } from '../../components/use-session';
import { cellQuery } from '../../lib/api/graphql';
import {
  MENU,
  type MenuCategory,
  type MenuItem,
  type MenuModifier,
  PAYMENT_METHODS,
  type PaymentMethod,
  walletOf,
} from '../../lib/api/operations';
import { addToCart, type CartLine, changeQuantity, saleOf, subtotalOf, unitPrice } from '../../lib/cart';
import { formatMoney } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { discardSale, enqueueSale, onQueueChange, type QueuedSale, queuedSales, sendQueuedSales } from '../../lib/offline/sale-queue';
import { matchesSearch } from '../../lib/search';

const RESEND_EVERY_MS = 20_000;

/** Sales entry on a counter tablet: tap dishes, pick how they pay, one tap records it. */
export default function SalesPage() {
  const who = useSignedIn();
  const { t, language } = useI18n();
  const toast = useToast();
  const { locations, locationId, setLocationId } = useStoreLocation(who);
  const [menu, setMenu] = useState<MenuCategory[] | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [lines, setLines] = useState<CartLine[]>([]);
  const [discount, setDiscount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('CASH');
  const [choosing, setChoosing] = useState<MenuItem | null>(null);
  const [pending, setPending] = useState<QueuedSale[]>([]);
  const [lastSaved, setLastSaved] = useState<string | null>(null);
  const [charge, setCharge] = useState<WalletCharge | null>(null);
  const slug = who?.tenant.slug;

  useEffect(() => {
    if (!slug) return;
    const key = `localstore.menu.${slug}`;
    const cached = localStorage.getItem(key);
    if (cached) setMenu(JSON.parse(cached) as MenuCategory[]);
    cellQuery<{ menuCategories: MenuCategory[] }>(slug, MENU).then(
      ({ menuCategories }) => {
        const sorted = menuCategories
          .map((c) => ({
            ...c,
            items: c.items.filter((i) => i.active).sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'vi')),
          }))
          .sort((a, b) => a.sortOrder - b.sortOrder);
        localStorage.setItem(key, JSON.stringify(sorted));
        setMenu(sorted);
      },
      () => undefined,
    );
  }, [slug]);

  const refreshPending = useCallback(async () => {
    if (slug) setPending(await queuedSales(slug));
  }, [slug]);
  const sendPending = useCallback(async () => {
    if (!slug) return;
    const outcome = await sendQueuedSales(slug).catch(() => null);
    if (outcome && outcome.sent.length > 0) setLastSaved(outcome.sent.at(-1)!);
    await refreshPending();
  }, [slug, refreshPending]);
  useEffect(() => {
    if (!slug) return;
    void sendPending();
    const stop = onQueueChange(() => void refreshPending());
    const online = () => void sendPending();
    window.addEventListener('online', online);
    const timer = setInterval(() => navigator.onLine && void sendPending(), RESEND_EVERY_MS);
    return () => {
      stop();
      window.removeEventListener('online', online);
      clearInterval(timer);
    };
  }, [slug, sendPending, refreshPending]);

  const shownItems = useMemo(() => {
    const all = (menu ?? []).flatMap((c) => c.items.map((item) => ({ item, categoryId: c.id })));
    if (search.trim() !== '') return all.filter(({ item }) => matchesSearch(item.name, search)).map(({ item }) => item);
    return all.filter(({ categoryId }) => category === null || categoryId === category).map(({ item }) => item);
  }, [menu, category, search]);

  const subtotal = subtotalOf(lines);
  const discountValue = /^\d{1,12}$/.test(discount.trim()) ? Number(discount.trim()) : discount.trim() === '' ? 0 : NaN;
  const discountProblem = Number.isNaN(discountValue) || discountValue > subtotal ? t('sales.discountTooLarge') : null;
  const total = Number.isNaN(discountValue) ? subtotal : Math.max(0, subtotal - discountValue);
  const recording = useRef(false);

  const record = async () => {
    if (!slug || !locationId || lines.length === 0 || discountProblem || recording.current) return;
    recording.current = true;
    try {
      const sale = saleOf(lines, locationId, discountValue, method, new Date());
      await enqueueSale(slug, sale, total);
      setLines([]);
      setDiscount('');
      setMethod('CASH');
      const outcome = navigator.onLine ? await sendQueuedSales(slug).catch(() => null) : null;
      // Another pass (the timer, the online event) may have sent it while this one waited for the lock.
      const saved = outcome?.sent.includes(sale.id) || !(await queuedSales(slug)).some((s) => s.id === sale.id);
      if (saved) {
        setLastSaved(sale.id);
        toast(t('toast.saleSaved', { total: formatMoney(total, language) }), 'success');
        // A wallet sale is collected at once: the customer scans the provider's code.
        const wallet = walletOf(method);
        if (wallet && total > 0) setCharge({ orderId: sale.id, locationId, provider: wallet, amount: total });
      } else {
        toast(t('toast.saleQueued', { total: formatMoney(total, language) }), 'warning');
      }
      await refreshPending();
    } finally {
      recording.current = false;
    }
  };

  const tapItem = (item: MenuItem) => (item.modifiers.length > 0 ? setChoosing(item) : setLines((current) => addToCart(current, item, [])));

  if (!who) return <p className="centered">{t('common.loading')}</p>;
  const waiting = pending.filter((s) => !s.refused);
  const refused = pending.filter((s) => s.refused);
  return (
    <AppShell who={who}>
      <h1 className="visually-hidden">{t('sales.title')}</h1>
      <div className="sales">
        <section className="menu-side" aria-label={t('sales.title')}>
          <div className="sales-head">
            {locations && locations.length > 1 && (
              <label>
                {t('sales.location')}{' '}
                <select value={locationId ?? ''} onChange={(e) => setLocationId(e.target.value)}>
                  {locations.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {locations && locations.length === 0 && <p className="error">{t('sales.noLocation')}</p>}
            <input
              type="search"
              className="search"
              aria-label={t('sales.search')}
              placeholder={t('sales.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <div className="chips" role="tablist" aria-label={t('sales.allCategories')}>
            <button type="button" role="tab" aria-selected={category === null} onClick={() => setCategory(null)}>
              {t('sales.allCategories')}
            </button>
            {(menu ?? []).map((c) => (
              <button
                key={c.id}
                type="button"
                role="tab"
                aria-selected={category === c.id}
                onClick={() => (setCategory(c.id), setSearch(''))}
              >
                {c.name}
              </button>
            ))}
          </div>
          {menu === null ? (
            <p>{t('common.loading')}</p>
          ) : (
            <div className="menu-grid">
              {shownItems.map((item) => (
                <button key={item.id} type="button" className="menu-item" onClick={() => tapItem(item)} data-testid="menu-item">
                  <span className="menu-item-name">{item.name}</span>
                  <span className="menu-item-price">{formatMoney(item.price, language)}</span>
                </button>
              ))}
            </div>
          )}
        </section>
        <section className="cart-side" aria-labelledby="cart-title">
          <h2 id="cart-title">{t('sales.cart')}</h2>
          {lines.length === 0 ? (
            <p className="muted">{t('sales.cartEmpty')}</p>
          ) : (
            <ul className="cart-lines">
              {lines.map((line) => (
                <li key={line.key} data-testid="cart-line">
                  <span className="cart-name">
                    {line.item.name}
                    {line.modifiers.length > 0 && <small> · {line.modifiers.map((m) => m.name).join(', ')}</small>}
                  </span>
                  <span className="stepper">
                    <button
                      type="button"
                      aria-label={t('sales.decrease', { name: line.item.name })}
                      onClick={() => setLines((c) => changeQuantity(c, line.key, -1))}
                    >
                      −
                    </button>
                    <output aria-label={t('sales.quantity')}>{line.quantity}</output>
                    <button
                      type="button"
                      aria-label={t('sales.increase', { name: line.item.name })}
                      onClick={() => setLines((c) => changeQuantity(c, line.key, 1))}
                    >
                      +
                    </button>
                  </span>
                  <span className="num">{formatMoney(unitPrice(line) * line.quantity, language)}</span>
                </li>
              ))}
            </ul>
          )}
          <label htmlFor="discount">{t('sales.discount')}</label>
          <input
            id="discount"
            inputMode="numeric"
            value={discount}
            onChange={(e) => setDiscount(e.target.value.replace(/[^\d]/g, ''))}
            aria-invalid={discountProblem !== null && discount !== ''}
            aria-describedby="discount-problem"
          />
          {discountProblem && discount !== '' && (
            <p id="discount-problem" className="error">
              {discountProblem}
            </p>
          )}
          <fieldset className="methods">
            <legend>{t('sales.payment')}</legend>
            {PAYMENT_METHODS.map((m) => (
              <label key={m} className={method === m ? 'chosen' : ''}>
                <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                {t(`method.${m}`)}
              </label>
            ))}
          </fieldset>
          <dl className="sums">
            <dt>{t('sales.subtotal')}</dt>
            <dd>{formatMoney(subtotal, language)}</dd>
            <dt>{t('sales.total')}</dt>
            <dd data-testid="cart-total">{formatMoney(total, language)}</dd>
          </dl>
          <button
            type="button"
            className="primary record"
            disabled={lines.length === 0 || discountProblem !== null || !locationId}
            onClick={() => void record()}
            data-testid="record-sale"
          >
            {t('sales.record')}
          </button>
          {lines.length > 0 && (
            <button type="button" className="link-button" onClick={() => setLines([])}>
              {t('sales.clear')}
            </button>
          )}
          <p className="queue-state" data-testid="pending-count" data-pending={waiting.length} aria-live="polite">
            {waiting.length > 0 ? t('sales.pending', { n: waiting.length }) : t('sales.pendingNone')}
          </p>
          {lastSaved && (
            <p className="saved" data-testid="sale-saved">
              ✓ {t('sales.saved')}
            </p>
          )}
          {refused.map((s) => (
            <p key={s.id} className="error">
              {formatMoney(s.total, language)} — {t('sales.rejected', { reason: s.refused!.message })}{' '}
              <button type="button" className="link-button" onClick={() => void discardSale(s.id)}>
                {t('common.close')}
              </button>
            </p>
          ))}
        </section>
      </div>
      {charge && slug && (
        <Suspense fallback={null}>
          <WalletCheckout slug={slug} charge={charge} onClose={() => setCharge(null)} />
        </Suspense>
      )}
      {choosing && (
        <ModifierDialog
          item={choosing}
          onClose={() => setChoosing(null)}
          onAdd={(mods) => (setLines((c) => addToCart(c, choosing, mods)), setChoosing(null))}
        />
      )}
    </AppShell>
  );
}

function ModifierDialog({ item, onClose, onAdd }: { item: MenuItem; onClose(): void; onAdd(modifiers: MenuModifier[]): void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="sheet" aria-labelledby="modifiers-title" onClose={onClose}>
      <h2 id="modifiers-title">{t('sales.modifiers', { name: item.name })}</h2>
      {item.modifiers.map((m) => (
        <label key={m.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.has(m.id)}
            onChange={(e) =>
              setChosen((c) => {
                const next = new Set(c);
                if (e.target.checked) next.add(m.id);
                else next.delete(m.id);
                return next;
              })
            }
          />
          {m.name} {m.priceDelta !== 0 && <span className="muted">+{formatMoney(m.priceDelta, language)}</span>}
        </label>
      ))}
      <div className="actions">
        <button type="button" className="primary" onClick={() => onAdd(item.modifiers.filter((m) => chosen.has(m.id)))}>
          {t('sales.addToCart')}
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}
