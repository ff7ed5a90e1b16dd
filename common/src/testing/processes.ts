import type { ChildProcess } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { paymentsBus } from '../payments/payment-events';
import { NATS_URL } from './test-servers';

/** A port nothing listens on now, for a server whose own URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SIGKILLs a child process (no flush, no goodbye) and waits until it is gone. */
export async function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Removes a test namespace's payments stream (and its consumers) from the shared NATS server. */
export async function deletePaymentsStream(namespace: string, url = NATS_URL): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const connection = await connect({ servers: url });
  try {
    await (await jetstreamManager(connection)).streams.delete(paymentsBus(namespace).stream).catch(() => undefined);
  } finally {
    await connection.close();
  }
}
