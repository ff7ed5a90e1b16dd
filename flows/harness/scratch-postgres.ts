import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchPostgres {
  ownerUrl: string;
  controlUrl: string;
  /** Stops the server at once, as a crash or a network partition would look to its clients. */
  kill(): void;
  remove(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A second, throwaway PostgreSQL server for tests that must stop a database without
 * stopping the others (the directory's, while the cells' stays up). Same Debian binaries
 * as `scripts/services.sh`; trust auth on loopback, data in a temporary folder.
 */
export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const binDir = readdirSync('/usr/lib/postgresql')
    .sort()
    .map((v) => join('/usr/lib/postgresql', v, 'bin'))
    .pop()!;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ls-scratch-pg-'));
  chmodSync(dir, 0o755);
  if (root)
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const asServer = (bin: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(binDir, bin), ...args], { stdio: 'pipe' })
      : execFileSync(join(binDir, bin), args, { stdio: 'pipe' });
  const data = join(dir, 'data');
  const port = await freePort();
  asServer('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  writeFileSync(join(dir, 'extra.conf'), `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\nfsync = off\n`);
  asServer('pg_ctl', [
    '-D',
    data,
    '-o',
    `-c config_file=${join(data, 'postgresql.conf')} -c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories= -c fsync=off`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  const psql = (sql: string, db = 'postgres') =>
    execFileSync(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql],
      { stdio: 'pipe' },
    );
  psql(`CREATE ROLE localstore_directory_app NOLOGIN;
        CREATE ROLE localstore_owner LOGIN CREATEDB PASSWORD 'owner';
        CREATE ROLE localstore_control LOGIN PASSWORD 'control' IN ROLE localstore_directory_app;`);
  psql('CREATE DATABASE directory_scratch OWNER localstore_owner');
  return {
    ownerUrl: `postgres://localstore_owner:owner@127.0.0.1:${port}/directory_scratch`,
    controlUrl: `postgres://localstore_control:control@127.0.0.1:${port}/directory_scratch`,
    kill: () => {
      asServer('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
