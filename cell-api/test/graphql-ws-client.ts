import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscribed<T> {
  /** Events received so far. */
  events: T[];
  /** The first error the server sent, if the subscription was refused. */
  error: Promise<{ message: string; extensions: Record<string, unknown> }[]>;
  stop(): void;
}

/**
 * A graphql-ws client as a browser would use it: the token in `connection_init`, the
 * tenant from the Host (or the router's X-Tenant on the upgrade).
 */
export function wsClient(url: string, options: { token?: string; tenant?: string; host?: string }): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, {
          headers: { ...(options.tenant ? { 'x-tenant': options.tenant } : {}), ...(options.host ? { host: options.host } : {}) },
        });
      }
    },
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown>): Subscribed<T> {
  const events: T[] = [];
  let rejectError: (errors: any) => void = () => undefined;
  const error = new Promise<any>((resolve) => (rejectError = resolve));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) rejectError(result.errors);
        else if (result.data) events.push(Object.values(result.data)[0] as T);
      },
      error: (failure) =>
        rejectError(Array.isArray(failure) ? failure : [{ message: String((failure as Error)?.message ?? failure), extensions: {} }]),
      complete: () => undefined,
    },
  );
  return { events, error, stop };
}
