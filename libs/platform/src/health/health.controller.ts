import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/principal';
import { ReadinessRegistry } from './readiness.registry';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (liveness probe).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Databases and broker answer (readiness probe); 503 otherwise or while draining.' })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = this.readiness.entries().map(([name, check]) => async () => {
      const indicator = this.indicators.check(name);
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
        return indicator.up();
      } catch (error) {
        return indicator.down({ message: (error as Error).message });
      }
    });
    if (this.readiness.isDraining) {
      checks.push(() => Promise.resolve(this.indicators.check('process').down({ message: 'shutting down' })));
    }
    try {
      const result = await this.health.check(checks);
      await reply.status(200).send(result);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      await reply.status(503).send(error.getResponse());
    }
  }
}
