// JSON and GraphQL over keep-alive HTTP/1.1 to a server on loopback, timed by the client:
// from the first byte of the request sent to the last byte of the answer received and parsed.
import http from 'node:http';
import { BenchError } from './output';
import { nowMs } from './measure';

export interface Answer<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
}

export interface Timed<T = unknown> extends Answer<T> {
  ms: number;
}

/** A GraphQL result as the bench reads it: the data, or an error naming the code and message. */
export type GraphQLResult<T> = { ms: number; data: T; error: null } | { ms: number; data: null; error: string };

/** GraphQL answers are read by field, as the queries name them. */
type Data = any;

interface ErrorBody {
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  data?: Data;
}

/**
 * `headers` go with every request: the token, and `X-Tenant` (straight to a cell) or a
 * `Host` (through the router).
 */
export class HttpClient {
  readonly agent: http.Agent;
  private readonly headers: Record<string, string>;

  constructor(
    readonly port: number,
    { headers = {}, maxSockets = 1 }: { headers?: Record<string, string>; maxSockets?: number } = {},
  ) {
    // `timeout`: with one of its own, the agent also honours the server's `Keep-Alive:
    // timeout=5` and drops an idle socket a second before the server would, so a request never
    // goes out on a socket the server is closing at that moment ("socket hang up" after a
    // pause between series). Without it, Node ignores the hint.
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 30_000 });
    this.headers = { 'content-type': 'application/json', ...headers };
  }

  /** One request; resolves with the status, the headers and the parsed body (or `{ unparsable }`). */
  request<T = Data>(method: string, path: string, payload?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { ...this.headers, ...extraHeaders, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: T;
            try {
              parsed = JSON.parse(text) as T;
            } catch {
              parsed = { unparsable: text.slice(0, 200) } as T;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', (error) => reject(new BenchError(`${method} ${path} failed: ${error.message}`)));
      req.end(body);
    });
  }

  get<T = Data>(path: string): Promise<Answer<T>> {
    return this.request<T>('GET', path);
  }

  /** A timed JSON POST: from the first byte sent to the last byte received and parsed. */
  async postJson<T = Data>(path: string, payload: unknown, extraHeaders: Record<string, string> = {}): Promise<Timed<T>> {
    const startedAt = nowMs();
    const answer = await this.request<T>('POST', path, payload, extraHeaders);
    return { ms: nowMs() - startedAt, ...answer };
  }

  /**
   * One GraphQL operation, timed. `uncached` asks any cache in front of the resolver to stay
   * out of the way: the cell has none yet, the header keeps the figure honest once it has.
   */
  async gql<T = Data>(query: string, variables?: Record<string, unknown>, { uncached = false } = {}): Promise<GraphQLResult<T>> {
    const { ms, status, body } = await this.postJson<ErrorBody>(
      '/graphql',
      { query, variables },
      uncached ? { 'cache-control': 'no-cache' } : {},
    );
    if (status !== 200 || body.errors || !body.data) {
      const first = body.errors?.[0];
      const detail = first
        ? `${first.extensions?.code ?? ''} ${first.extensions?.reason ?? ''} ${first.message}`
        : JSON.stringify(body).slice(0, 200);
      return { ms, data: null, error: `HTTP ${status}: ${detail.trim()}` };
    }
    return { ms, data: body.data as T, error: null };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The data of a GraphQL result, or a BenchError naming what failed. */
export function must<T>(result: GraphQLResult<T>, what: string): T {
  if (result.error !== null) throw new BenchError(`${what} failed: ${result.error}`);
  return result.data;
}
