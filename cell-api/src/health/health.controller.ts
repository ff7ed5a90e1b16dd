import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { CellConfig } from '../config/cell-config';
import { CELL_CONFIG } from '../config/cell-config.token';
import { migrationsAreCurrent } from '@localstore/cell-db';
import { CellMetrics } from '../observability/cell-metrics';

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: CellMetrics,
    @Inject(CELL_CONFIG) private readonly config: CellConfig,
  ) {}

  /** The process is up. Says nothing about its dependencies, so a database blip does not restart pods. */
  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  /** Ready for traffic: the database answers and every migration this build knows is applied. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    try {
      const current = await migrationsAreCurrent(this.dataSource, this.config.database.schema);
      res.status(current ? 200 : 503).json({ status: current ? 'ready' : 'migrations pending' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
