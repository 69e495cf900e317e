import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { PlatformConfig } from './config/platform.config';
import { ProblemDetailsFilter } from './errors/problem.filter';
import { RequestValidationError } from './errors/validation-messages';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness.registry';
import { loggerParams } from './logging/logging';
import { Metrics, MetricsController } from './metrics/metrics';
import { ServiceName } from './services';
import { HOSTED_SERVICES, PLATFORM_CONFIG } from './tokens';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    // value is kept only to tell a missing field from a wrong one; it is never sent back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new RequestValidationError(errors),
  });
}

/** What every service process has, whatever it hosts: config, logs, health, metrics, auth, errors. */
@Module({})
export class PlatformModule {
  static forRoot(options: { name: string; services: ServiceName[]; config: PlatformConfig }): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerParams(options.name, options.config.app.LOG_LEVEL)), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: options.config },
        { provide: HOSTED_SERVICES, useValue: options.services },
        ReadinessRegistry,
        Metrics,
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [PLATFORM_CONFIG, HOSTED_SERVICES, ReadinessRegistry, Metrics, TokenVerifier],
    };
  }
}
