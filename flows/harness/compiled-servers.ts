import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';

/**
 * The repo's compiled servers (`make build`) as child processes: what a flow kills the hard
 * way and what the benchmarks measure, since a figure of an in-process server would include
 * the test runner's own work.
 */
export const REPO_ROOT = resolve(__dirname, '../..');
export const CELL_MAIN = resolve(REPO_ROOT, 'cell-api/dist/src/main.js');
export const CONTROL_PLANE_MAIN = resolve(REPO_ROOT, 'control-plane/dist/src/main.js');
export const OPERATOR_MAIN = resolve(REPO_ROOT, 'operator/dist/src/main.js');
export const CELL_DIST = resolve(REPO_ROOT, 'cell-api/dist');
export const CONTROL_PLANE_DIST = resolve(REPO_ROOT, 'control-plane/dist');

export interface CompiledServerOptions {
  /** Names the process in the lines it prints and in errors. */
  name: string;
  /** The script (one of the `*_MAIN` above) and its arguments. */
  args: string[];
  env: NodeJS.ProcessEnv;
  stopSignal?: NodeJS.Signals;
  /** Sees each line the process prints first; a line it takes (returns true) is not echoed. */
  onLine?: (line: string) => boolean;
  /** Where untaken lines go, prefixed with `[name]`; stderr unless said. */
  echo?: (line: string) => void;
}

/** How a compiled server ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One of the repo's compiled servers as a child process, its output read line by line. */
export class CompiledServer {
  readonly name: string;
  exited: Exit | null = null;
  private stopping = false;
  private readonly child: ChildProcess;
  private readonly stopSignal: NodeJS.Signals;
  private readonly exitedPromise: Promise<Exit>;

  constructor({ name, args, env, stopSignal = 'SIGTERM', onLine = () => false, echo }: CompiledServerOptions) {
    this.name = name;
    this.stopSignal = stopSignal;
    const print = echo ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
    this.child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Last resort when the caller dies without its clean-up (an uncaught error): no server
    // outlives it. `exit` handlers run synchronously, so a plain kill is all there is time for.
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exitedPromise = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        process.off('exit', killOnExit);
        this.exited = { code, signal };
        if (!this.stopping) print(`exited unexpectedly (code ${code}, signal ${signal})`);
        resolveExit(this.exited);
      });
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim() && !onLine(line)) print(line);
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Waits until `GET http://127.0.0.1:<port><path>` answers 200, bounded; fails as soon as
   * the process exits, naming how.
   */
  async waitReady(port: number, path = '/readyz', timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exited)
        throw new Error(`the ${this.name} exited during start-up (${JSON.stringify(this.exited)}); see [${this.name}] lines above`);
      const answer = await getStatus(port, path).catch((error: Error) => error.message);
      if (answer === 200) return;
      last = String(answer);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
    throw new Error(`the ${this.name} was not ready within ${timeoutMs / 1000} s (last: ${last})`);
  }

  /** SIGKILL, no flush, no goodbye; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exited || !this.child.pid) return;
    this.stopping = true;
    this.child.kill('SIGKILL');
    await this.exitedPromise;
  }

  /** Stops the process (SIGKILL after 10 s) and waits for it to go; safe to call more than once. */
  async stop(): Promise<void> {
    if (this.exited || !this.child.pid) return;
    this.stopping = true;
    this.child.kill(this.stopSignal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exitedPromise;
    clearTimeout(timer);
  }
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

/** Runs a compiled script to completion (bounded), returning its stdout; its stderr is in the error when it fails. */
export function runScript(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not run: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(stdout);
      else reject(new Error(`${name} failed (code ${code}, signal ${signal}):\n${(stderr || stdout).trim().slice(0, 2_000)}`));
    });
  });
}
