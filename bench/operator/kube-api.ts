// The bench's client of the harness's API server: JSON over keep-alive HTTPS with the
// kubeconfig's client certificate, for reads, patches and watches without a process per call
// (kubectl costs ~100 ms of CPU each, which would show in the figures).
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { BenchError } from '../lib/output';
import type { KubeObject } from './resources';

/** A watch that ended with an error event; `gone` when its resource version is too old (410). */
export class WatchError extends Error {
  constructor(
    message: string,
    readonly gone = false,
  ) {
    super(message);
  }
}

export interface Watch {
  /** Resolves when the server ends the watch; rejects with a WatchError. */
  done: Promise<void>;
  abort: () => void;
}

export class KubeApi {
  private readonly agent: https.Agent;
  private readonly watchAgent: https.Agent;

  static async connect(kubeconfigPath: string): Promise<KubeApi> {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    const tls: https.RequestOptions = {};
    await config.applyToHTTPSOptions(tls);
    const server = new URL(config.getCurrentCluster()!.server);
    const agentOptions: https.AgentOptions = {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
    };
    return new KubeApi(server, agentOptions);
  }

  private constructor(
    private readonly server: URL,
    agentOptions: https.AgentOptions,
  ) {
    this.agent = new https.Agent({ ...agentOptions, keepAlive: true, maxSockets: 32 });
    this.watchAgent = new https.Agent({ ...agentOptions, keepAlive: false });
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        {
          method,
          hostname: this.server.hostname,
          port: this.server.port,
          path,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = { unparsable: text.slice(0, 500) };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The answer's body; a BenchError unless it is 2xx. */
  async json<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const { status, body: answer } = await this.request(method, path, body, contentType);
    if (status < 200 || status >= 300)
      throw new BenchError(`${method} ${path} answered ${status}: ${JSON.stringify(answer).slice(0, 500)}`);
    return answer as T;
  }

  /** The object, or undefined when it does not exist. */
  async read<T = KubeObject>(path: string): Promise<T | undefined> {
    const { status, body } = await this.request('GET', path);
    if (status === 404) return undefined;
    if (status !== 200) throw new BenchError(`GET ${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
    return body as T;
  }

  /**
   * A watch from `resourceVersion`: `onEvent(type, object)` per event; `done` resolves when
   * the server ends it and rejects with a gone WatchError when the version is too old.
   */
  watch(path: string, params: Record<string, string>, onEvent: (type: string, object: KubeObject) => void): Watch {
    let req!: ReturnType<typeof https.request>;
    const done = new Promise<void>((resolve, reject) => {
      const query = new URLSearchParams({ ...params, watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: '300' });
      req = https.request(
        {
          method: 'GET',
          hostname: this.server.hostname,
          port: this.server.port,
          path: `${path}?${query}`,
          agent: this.watchAgent,
          headers: { accept: 'application/json' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new BenchError(`watch ${path} answered ${res.statusCode}`));
            return;
          }
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const lines = (rest + chunk).split('\n');
            rest = lines.pop()!;
            for (const line of lines) {
              if (!line.trim()) continue;
              let event: { type: string; object: any };
              try {
                event = JSON.parse(line);
              } catch {
                req.destroy();
                reject(new Error(`watch ${path}: unreadable event ${line.slice(0, 100)}`));
                return;
              }
              if (event.type === 'ERROR') {
                req.destroy();
                reject(new WatchError(`watch ${path}: ${event.object?.message}`, event.object?.code === 410));
                return;
              }
              onEvent(event.type, event.object);
            }
          });
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    return { done, abort: () => req.destroy() };
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }
}
