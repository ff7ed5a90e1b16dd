// The compiled operator as a process, as a cluster runs it, its every line written to a log
// file under .local/log/ and its warnings and errors counted (the first few echoed), so the
// report can say what went wrong without the operator's log scrolling past the figures.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CompiledServer, type Exit, OPERATOR_MAIN, REPO_ROOT } from '@localstore/flows/harness/compiled-servers';
import { KUBECONFIG, LOCAL_DIR } from '@localstore/flows/harness/kube-paths';
import { log } from '../lib/output';
import type { UndoList } from '../lib/cleanup';

export interface OperatorProcess {
  server: CompiledServer;
  /** The log file, relative to the repository. */
  logPath: string;
  /** Each warning or error (message and the first line of its error) → how many times. */
  problems: Map<string, number>;
}

export function startOperator({
  run,
  namespace,
  runLabel,
  templatePrefix,
  directoryUrl,
  cellEndpoints,
  jwksUrl,
  metricsPort,
  logLevel,
  undo,
  onExit,
}: {
  run: string;
  namespace: string;
  runLabel: string;
  templatePrefix: string;
  directoryUrl: string;
  /** cell name → its port, so the operator reaches every cell the stand-in starts. */
  cellEndpoints: Map<string, number>;
  jwksUrl: string;
  metricsPort: number;
  logLevel: string;
  undo: UndoList;
  /** How the operator ended once stopped: a SIGTERM'd operator should hand its lease over and exit 0. */
  onExit: (exit: Exit | null) => void;
}): OperatorProcess {
  const logFilePath = join(LOCAL_DIR, `log/bench-operator-${run}.log`);
  const logPath = relative(REPO_ROOT, logFilePath);
  mkdirSync(join(LOCAL_DIR, 'log'), { recursive: true });
  const logFile = createWriteStream(logFilePath);
  const problems = new Map<string, number>();
  const server = new CompiledServer({
    name: 'operator',
    args: [OPERATOR_MAIN],
    env: {
      ...process.env,
      OPERATOR_NAMESPACE: namespace,
      POD_NAME: `bench-${run}`,
      KUBECONFIG,
      DIRECTORY_DATABASE_URL: directoryUrl,
      DIRECTORY_SCHEMA: 'directory',
      MANAGED_SELECTOR: runLabel,
      POOLED_CELL_PREFIX: templatePrefix,
      POOLED_CELL_SECRET: 'cell-database',
      PROMOTION_GRACE_SECONDS: '0',
      CELL_ENDPOINTS: JSON.stringify(Object.fromEntries([...cellEndpoints].map(([name, port]) => [name, `http://127.0.0.1:${port}`]))),
      CELL_AUTH_JWKS_URL: jwksUrl,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: logLevel,
    },
    // Every line to the log file; warnings and errors counted, the first few echoed.
    onLine: (line) => {
      logFile.write(`${line}\n`);
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line);
      } catch {
        return false;
      }
      if ((entry.level ?? 0) < 40) return true;
      const key = `${entry.msg}${entry.err?.message ? `: ${entry.err.message.split('\n')[0]!.slice(0, 300)}` : ''}`;
      problems.set(key, (problems.get(key) ?? 0) + 1);
      return problems.get(key)! > 3;
    },
  });
  undo.push('stopping the operator', async () => {
    await server.stop();
    onExit(server.exited);
    if (server.exited && server.exited.code !== 0)
      log(`operator: exited with ${JSON.stringify(server.exited)} on SIGTERM (see the end of ${logPath})`);
    await new Promise<void>((resolve) => logFile.end(resolve));
  });
  return { server, logPath, problems };
}
