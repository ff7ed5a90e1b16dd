/**
 * Short-lived state shared by every control-plane process: OTP codes, their attempt
 * counters, rate-limit windows. Redis in a cluster; an in-process map on one machine.
 * Both implementations pass the same contract tests (`ephemeral-store.spec.ts`).
 */
export interface EphemeralStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Deletes the key only if it still holds `value`; true when this call deleted it (one use only). */
  takeIfEquals(key: string, value: string): Promise<boolean>;
  del(key: string): Promise<void>;
  /**
   * Counts an event in a fixed window that starts with its first event and lasts
   * `windowSeconds`; returns the count so far and the seconds until the window resets.
   */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetsInSeconds: number }>;
  close(): Promise<void>;
}
