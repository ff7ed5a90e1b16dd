import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { CellConfig } from '../config/cell-config';

/** The process logger: JSON lines, every one tagged with the cell's name. */
export function createRootLogger(config: Pick<CellConfig, 'cellName' | 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { cell: config.cellName },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** Nest's own messages (start-up, routes) through the same JSON logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
