import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AccessTokenVerifier } from '@localstore/common';
import type { DataSource } from 'typeorm';
import { loadControlPlaneConfig } from '../src/config/control-plane-config';
import { createDirectoryDataSource, migrateDirectory } from '../src/database/data-source';
import { killHard } from '@localstore/common/testing';
import { httpRequest, type HttpAnswer, testStateEnv } from './test-control-plane';

const CONTROL_PLANE_MAIN = resolve(__dirname, '../dist/src/main.js');

type LogRecord = Record<string, unknown>;

/**
 * The control plane as a real process (`node control-plane/dist/src/main.js`, built by
 * `make build`), so that what one process keeps in memory is not the other's. Its JSON log
 * lines are kept, and waited on.
 */
class ControlPlaneProcess {
  private readonly records: LogRecord[] = [];
  private readonly changed = new EventEmitter();
  private stderr = '';
  private closed = false;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.records.push(JSON.parse(line) as LogRecord);
      } catch {
        return;
      }
      this.changed.emit('change');
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    child.on('close', () => {
      this.closed = true;
      this.changed.emit('change');
    });
  }

  /** Only `env` (and PATH): nothing of the test's own environment, such as an OTP_PEPPER, reaches it. */
  static start(env: Record<string, string>): ControlPlaneProcess {
    const child = spawn(process.execPath, [CONTROL_PLANE_MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControlPlaneProcess(child);
  }

  /** Waits until it listens (its URL) or exits (its exit code and what it wrote to stderr). */
  async started(): Promise<{ url: string } | { exitCode: number | null; stderr: string }> {
    const listening = await this.logged((r) => r.msg === 'control plane listening').catch(() => null);
    if (listening) return { url: `http://127.0.0.1:${String(listening.port)}` };
    return { exitCode: this.child.exitCode, stderr: this.stderr };
  }

  async url(): Promise<string> {
    const started = await this.started();
    if (!('url' in started)) throw new Error(`the control plane exited with ${started.exitCode}: ${started.stderr}`);
    return started.url;
  }

  /** The first log record `matches` accepts, once it is written; fails when the process exits without one. */
  async logged(matches: (record: LogRecord) => boolean): Promise<LogRecord> {
    for (;;) {
      const found = this.records.find(matches);
      if (found) return found;
      if (this.closed) throw new Error('the control plane exited');
      await once(this.changed, 'change');
    }
  }

  /** The sign-in code the log SMS sender printed for `phone`. */
  async codeSentTo(phone: string): Promise<string> {
    const sms = await this.logged((r) => r.phone === phone && typeof r.sms === 'string');
    return /(\d{6})/.exec(String(sms.sms))![1]!;
  }

  stop(): Promise<void> {
    return killHard(this.child);
  }
}

function api(url: string, path: string, body: unknown): Promise<HttpAnswer> {
  return httpRequest(`${url}${path}`, { host: 'app.localhost', body });
}

/**
 * Two control-plane replicas as separate processes on one directory and one Redis, neither
 * given an OTP_PEPPER: the embedded default, as on a developer's machine. Real: both
 * processes, Postgres, Redis, HTTP. The SMS goes to the log (the embedded sender), where the
 * test reads the code. The payment key is given so that the two do not race to create its file.
 */
describe('control-plane replicas', () => {
  const schema = `test_dir_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = {
    ...testStateEnv(schema),
    CONTROL_PLANE_PORT: '0',
    POOLED_CELL_URL: 'http://127.0.0.1:9',
    PAYMENT_CREDENTIALS_KEY: Buffer.alloc(32, 3).toString('base64'),
    LOG_LEVEL: 'info',
  };
  const replicas: ControlPlaneProcess[] = [];
  let owner: DataSource;

  beforeAll(async () => {
    const config = loadControlPlaneConfig(env);
    await migrateDirectory(config);
    owner = createDirectoryDataSource(config, 'owner');
    await owner.initialize();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await owner?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await owner?.destroy();
  });

  it('signs in with a code requested on one replica and entered on the other', async () => {
    const [a, b] = [ControlPlaneProcess.start(env), ControlPlaneProcess.start(env)];
    replicas.push(a, b);
    const [urlA, urlB] = await Promise.all([a.url(), b.url()]);
    const phone = '+84912000301';

    expect((await api(urlA, '/api/v1/auth/otp/request', { phone })).status).toBe(202);
    const verified = await api(urlB, '/api/v1/auth/otp/verify', { phone, code: await a.codeSentTo(phone) });
    expect(verified.status, verified.text).toBe(200);
    // The token B signed is good on A's keys too: both read them from the one directory.
    const verifier = new AccessTokenVerifier({
      jwksUrl: `${urlA}/.well-known/jwks.json`,
      issuer: 'localstore-control-plane',
      audience: 'localstore-cell',
    });
    expect((await verifier.verifyIdentity(verified.json.accessToken)).userId).toMatch(/^[0-9a-f-]{36}$/);
  }, 120_000);

  it('refuses to start in cluster mode without OTP_PEPPER, naming it', async () => {
    const replica = ControlPlaneProcess.start({ ...env, TENANCY_MODE: 'cluster' });
    replicas.push(replica);
    expect(await replica.started()).toEqual({
      exitCode: 78,
      stderr: expect.stringContaining('OTP_PEPPER is required when TENANCY_MODE=cluster'),
    });
  }, 120_000);
});
