'use client';
import { useState } from 'react';
import { useI18n } from '../lib/i18n/i18n';

/**
 * The outcome line of a form: `attempt` runs the work and shows what it returns, or the
 * error's message (the server's, naming the field) when it fails.
 */
export function useNotice() {
  const { t } = useI18n();
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const attempt = async (work: () => Promise<string>) => {
    try {
      setNotice({ text: await work() });
    } catch (e) {
      setNotice({ text: e instanceof Error ? e.message : t('common.error'), error: true });
    }
  };
  const view = notice && (
    <p className={notice.error ? 'error' : 'success'} role="status" data-testid="form-notice">
      {notice.text}
    </p>
  );
  return { attempt, view };
}
