import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { NATS_URL } from '@localstore/common/testing';

export { NATS_URL };

/** A port nothing listens on now, for a server whose own URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits for `probe` to return something truthy (consumers work asynchronously); no timing is asserted. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes a test namespace's payments stream (and its consumers) from the shared NATS server. */
export async function deletePaymentsStream(namespace: string, url = NATS_URL): Promise<void> {
  const { paymentsBus } = await import('@localstore/common');
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const connection = await connect({ servers: url });
  try {
    await (await jetstreamManager(connection)).streams.delete(paymentsBus(namespace).stream).catch(() => undefined);
  } finally {
    await connection.close();
  }
}

/** SIGKILLs a child process (no flush, no goodbye) and waits until it is gone. */
export async function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
