'use client';
import { formatMoney } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';
import type { LiveHandlers } from '../lib/live';
import { useToast } from './toasts';

const PROVIDER_NAMES: Record<string, string> = { momo: 'MoMo', zalopay: 'ZaloPay', vnpay: 'VNPay' };

/** The live events that become a notice on the owner's screen: payments, advice, anomalies. */
export function useLiveNotices(): Pick<LiveHandlers, 'payment' | 'recommendation' | 'anomaly'> {
  const toast = useToast();
  const { t, language } = useI18n();
  return {
    payment(payment) {
      const params = { amount: formatMoney(payment.amount, language), provider: PROVIDER_NAMES[payment.provider] ?? payment.provider };
      if (payment.succeeded && !payment.discrepancy) toast(t('toast.payment', params), 'success');
      else toast(t('toast.paymentMismatch', params), 'warning');
    },
    recommendation(recommendation) {
      toast(t('toast.recommendation', { title: recommendation.title }));
    },
    anomaly(anomaly) {
      toast(t('toast.anomaly', { reason: anomaly.message ?? anomaly.reason }), 'warning');
    },
  };
}
