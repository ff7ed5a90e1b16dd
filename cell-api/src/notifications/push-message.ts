/** What a push carries, whatever the channel. */
export interface PushMessage {
  title: string;
  body: string;
  /** Small string map the app reads on tap (FCM `data` takes strings only). */
  data: Record<string, string>;
}

/** `gone`: the provider says this device will never receive again; prune it. */
export type PushOutcome = 'sent' | 'gone';

/** A failure worth trying again later (the provider is busy or down). */
export class PushRetryableError extends Error {}
