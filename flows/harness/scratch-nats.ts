import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { eventually, killHard } from '@localstore/common/testing';

const REPO = resolve(__dirname, '../..');
const NATS_BIN = process.env.TEST_NATS_SERVER ?? resolve(REPO, '.local/bin/nats-server');

/**
 * A NATS server of a test's own (JetStream, file store, every write synced before it is
 * acknowledged, as `scripts/services.sh` runs it), so the test can SIGKILL it without
 * touching the server other test files share. Its store survives a kill and a restart.
 */
export class ScratchNats {
  private process?: ChildProcess;
  private readonly dir: string;

  constructor(readonly port: number) {
    this.dir = resolve(REPO, `.local/test-nats/${port}`);
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      resolve(this.dir, 'nats.conf'),
      `listen: 127.0.0.1:${this.port}\njetstream {\n  store_dir: "${this.dir}/store"\n  sync_interval: always\n}\n`,
    );
    this.process = spawn(NATS_BIN, ['-c', resolve(this.dir, 'nats.conf')], { stdio: 'ignore' });
    await eventually(() => portOpen(this.port), `nats-server listening on ${this.port} (${NATS_BIN})`, 10_000);
  }

  /** SIGKILL: no flush, no goodbye; what was acknowledged must already be on disk. */
  kill(): Promise<void> {
    return killHard(this.process);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
  });
}
