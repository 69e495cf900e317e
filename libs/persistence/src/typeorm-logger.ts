import { Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'typeorm';

/**
 * TypeORM through the service's JSON logger. Failed queries are not logged here: the caller gets
 * the error and decides (a unique violation is a 409, not an incident); slow ones are warnings.
 */
export class TypeOrmLogger implements Logger {
  private readonly logger: NestLogger;

  constructor(dataSource: string) {
    this.logger = new NestLogger(`TypeORM:${dataSource}`);
  }

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ err: typeof error === 'string' ? error : error.message, query: query.slice(0, 200) }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: query.slice(0, 500) }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.debug(message);
  }
}
