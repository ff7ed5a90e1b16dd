import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { type ControlPlaneConfig, loadControlPlaneConfig } from '../src/config/control-plane-config';
import { createDirectoryDataSource, migrateDirectory } from '../src/database/data-source';
import { startControlPlane, type RunningControlPlane } from '../src/main';

const PG_PORT = process.env.LOCALSTORE_PG_PORT ?? '55432';
const TEST_DB = process.env.LOCALSTORE_TEST_DATABASE ?? 'localstore_test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.LOCALSTORE_REDIS_PORT ?? '56379'}`;

/** A local stand-in for the SMS gateway (Twilio's API shape): keeps what it was asked to send. */
export class FakeSmsGateway {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly messages: { to: string; body: string }[],
  ) {}

  static async start(): Promise<FakeSmsGateway> {
    const messages: { to: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const auth = `Basic ${Buffer.from('ACtest:token').toString('base64')}`;
        if (req.url !== '/2010-04-01/Accounts/ACtest/Messages.json' || req.headers.authorization !== auth) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003}');
          return;
        }
        const form = new URLSearchParams(data);
        messages.push({ to: form.get('To')!, body: form.get('Body')! });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${randomUUID().replace(/-/g, '')}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeSmsGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, messages);
  }

  codeSentTo(phone: string): string {
    const message = [...this.messages].reverse().find((m) => m.to === phone);
    const code = message && /(\d{6})/.exec(message.body)?.[1];
    if (!code) throw new Error(`no code was sent to ${phone}`);
    return code;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json: any;
}

/** One HTTP request with any Host header (fetch may not set Host). */
export function httpRequest(
  url: string,
  options: { method?: string; host?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers: {
        ...(options.host ? { host: options.host } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Where a test control plane keeps its state: the directory in schema `schema` of the test database, Redis keys under a prefix named after it. */
export function testStateEnv(schema: string): Record<string, string> {
  return {
    DIRECTORY_DATABASE_URL: `postgres://localstore_control:localstore_control@127.0.0.1:${PG_PORT}/${TEST_DB}`,
    DIRECTORY_OWNER_URL: `postgres://localstore_owner:localstore_owner@127.0.0.1:${PG_PORT}/${TEST_DB}`,
    DIRECTORY_SCHEMA: schema,
    REDIS_URL,
    REDIS_KEY_PREFIX: `test:${schema}:`,
  };
}

/**
 * A real control plane for a test file: its own directory schema, real Postgres, real
 * Redis (keys under a prefix of its own), and the SMS gateway replaced by a local server
 * that checks the provider's request format.
 */
export class TestControlPlane {
  private constructor(
    readonly config: ControlPlaneConfig,
    readonly running: RunningControlPlane,
    readonly sms: FakeSmsGateway,
    readonly owner: DataSource,
  ) {}

  static async start(env: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestControlPlane> {
    const sms = await FakeSmsGateway.start();
    const schema = `test_dir_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const config = loadControlPlaneConfig({
      CONTROL_PLANE_PORT: '0',
      ...testStateEnv(schema),
      SMS_PROVIDER: 'twilio',
      SMS_TWILIO_URL: sms.url,
      SMS_TWILIO_ACCOUNT_SID: 'ACtest',
      SMS_TWILIO_AUTH_TOKEN: 'token',
      SMS_TWILIO_FROM: '+15005550006',
      POOLED_CELL_URL: 'http://127.0.0.1:9',
      CELL_TIMEOUT_MS: '2000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...env,
    });
    await migrateDirectory(config);
    const owner = createDirectoryDataSource(config, 'owner');
    await owner.initialize();
    const running = await startControlPlane(config, options.logger);
    return new TestControlPlane(config, running, sms, owner);
  }

  get url(): string {
    return this.running.url;
  }

  get jwksUrl(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  api(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return httpRequest(`${this.url}${path}`, { host: 'app.localhost', body, headers, method: body === undefined ? 'GET' : 'POST' });
  }

  /** Signs in a phone through the real OTP flow and returns the token pair. */
  async signIn(phone: string): Promise<any> {
    const requested = await this.api('/api/v1/auth/otp/request', { phone });
    if (requested.status !== 202) throw new Error(`otp request failed: ${requested.text}`);
    const verified = await this.api('/api/v1/auth/otp/verify', { phone, code: this.sms.codeSentTo(requested.json.phone) });
    if (verified.status !== 200) throw new Error(`otp verify failed: ${verified.text}`);
    return verified.json;
  }

  /** A tenant in the directory with a route to a cell, and optionally a member. */
  async addTenant(tenant: {
    id?: string;
    slug: string;
    name?: string;
    cell: { name: string; endpoint: string };
    state?: 'active' | 'draining';
  }): Promise<string> {
    const id = tenant.id ?? randomUUID();
    await this.owner.query(
      `INSERT INTO cells (name, mode, endpoint) VALUES ($1, 'pooled', $2) ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint`,
      [tenant.cell.name, tenant.cell.endpoint],
    );
    await this.owner.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [id, tenant.slug, tenant.name ?? tenant.slug]);
    await this.owner.query('INSERT INTO routes (tenant_id, cell_name, state) VALUES ($1, $2, $3)', [
      id,
      tenant.cell.name,
      tenant.state ?? 'active',
    ]);
    return id;
  }

  async addMember(tenantId: string, phone: string, role: 'owner' | 'manager' | 'staff' = 'owner'): Promise<string> {
    const [user] = await this.owner.query(
      `INSERT INTO users (phone) VALUES ($1) ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone RETURNING id`,
      [phone],
    );
    await this.owner.query('INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)', [tenantId, user.id, role]);
    return user.id;
  }

  /** Waits until the router's table has been reloaded after `since` (a NOTIFY round trip). */
  async routesReloadedAfter(since: number): Promise<void> {
    for (let i = 0; i < 100 && this.running.routes.lastLoadedAt <= since; i++) await new Promise((r) => setTimeout(r, 20));
  }

  /** Stops everything; `directoryGone` when the test stopped the directory's server itself. */
  async stop(options: { directoryGone?: boolean } = {}): Promise<void> {
    await this.running.stop();
    if (!options.directoryGone) await this.owner.query(`DROP SCHEMA "${this.config.directory.schema}" CASCADE`);
    await this.owner.destroy().catch(() => undefined);
    await this.sms.close();
  }
}
