import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, throwError } from 'rxjs';
import { negotiateLanguage } from './language';
import { toProblem } from './problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error'>): void {
  const lang = negotiateLanguage(request.headers['accept-language']);
  const problem = toProblem(error, lang);
  if (problem.status >= 500) logger.error({ err: error, url: request.routeOptions?.url }, 'request failed');
  void reply
    .status(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('content-language', lang)
    .send(JSON.stringify({ ...problem, instance: request.url.split('?')[0] }));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): Observable<never> | void {
    // Event handlers (RPC context): the error goes back as thrown, to the consumer pipeline's retries.
    if (host.getType() !== 'http') return throwError(() => error);
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
