// The codes the control plane "sends": with SMS_PROVIDER=log each SMS is a warn line of JSON
// on its stdout with `phone` and `sms`. The bench signs in by reading them there.
import { BenchError } from '../lib/output';

/** How long a sign-in waits for its code to appear in the control plane's log. */
const SMS_WAIT_MS = 5_000;

interface Waiter {
  resolve: (code: string) => void;
  timer: NodeJS.Timeout;
}

/** Lines and HTTP answers race, so a code may arrive before or after its sign-in asks for it. */
export class SmsInbox {
  private readonly codes = new Map<string, string>();
  private readonly waiting = new Map<string, Waiter>();

  /** Takes a log line if it is an SMS (it is not echoed then); false otherwise. */
  take(line: string): boolean {
    if (!line.includes('"sms"')) return false;
    let entry: { phone?: unknown; sms?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return false;
    }
    const otp = typeof entry.sms === 'string' ? /(?<!\d)\d{6}(?!\d)/.exec(entry.sms)?.[0] : undefined;
    if (typeof entry.phone !== 'string' || !otp) return false;
    const waiter = this.waiting.get(entry.phone);
    if (waiter) {
      this.waiting.delete(entry.phone);
      clearTimeout(waiter.timer);
      waiter.resolve(otp);
    } else {
      this.codes.set(entry.phone, otp);
    }
    return true;
  }

  codeFor(phone: string, timeoutMs = SMS_WAIT_MS): Promise<string> {
    const known = this.codes.get(phone);
    if (known) {
      this.codes.delete(phone);
      return Promise.resolve(known);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(phone);
        reject(new BenchError(`no SMS for ${phone} in the control plane's log within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting.set(phone, { resolve, timer });
    });
  }
}
