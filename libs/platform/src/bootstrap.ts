import { IncomingMessage } from 'node:http';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { buildAsyncApiDocument } from '@app/contracts';
import { ConfigError } from './config/env';
import { PlatformConfig, loadPlatformConfig } from './config/platform.config';
import { logAccess } from './logging/logging';
import { Metrics } from './metrics/metrics';
import { PlatformModule } from './platform.module';
import { ServiceName } from './services';
import { EVENT_TRANSPORT_SERVER } from './tokens';
import { runWithTrace, traceIdFromHeaders } from './trace';

export interface ServiceDefinition {
  /** The name in every log line: a service name, or `embedded`. */
  name: string;
  services: ServiceName[];
  title: string;
  /** Environment defaults of this entry point; the environment overrides them. */
  defaults: Record<string, string>;
  imports: (config: PlatformConfig) => (Type | DynamicModule)[];
}

/** Applies the entry point's defaults and validates the whole configuration, or exits naming what is wrong. */
export function configure(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  for (const [key, value] of Object.entries(definition.defaults)) {
    if (env[key] === undefined || env[key] === '') env[key] = value;
  }
  try {
    return loadPlatformConfig(env, definition.services);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: definition.name, msg: error.message, problems: error.problems })}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
}

export async function createApplication(definition: ServiceDefinition, config: PlatformConfig): Promise<NestFastifyApplication> {
  @Module({ imports: [PlatformModule.forRoot({ name: definition.name, services: definition.services, config }), ...definition.imports(config)] })
  class RootModule {}

  const adapter = new FastifyAdapter({
    bodyLimit: 5 * 1024 * 1024,
    trustProxy: true,
    return503OnClosing: true,
    // On shutdown, idle keep-alive connections are closed at once; busy ones finish their request.
    forceCloseConnections: 'idle',
    genReqId: (raw: IncomingMessage & { traceId?: string }) => {
      raw.traceId = traceIdFromHeaders(raw.headers);
      return raw.traceId;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(RootModule, adapter, { bufferLogs: true, rawBody: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance();
  // Bank settlement files arrive as CSV text.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  const metrics = app.get(Metrics);
  // The process's pino logger, as nestjs-pino holds it (outside a request's context).
  const accessLogger = (await app.resolve(PinoLogger)).logger;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-trace-id', request.id);
    // onResponse runs only for responses that finished: one closed before its end gets its line here.
    reply.raw.once('close', () => {
      if (!reply.raw.writableEnded) logAccess(accessLogger, request, reply.statusCode, reply.elapsedTime, true);
    });
    runWithTrace(request.id, done);
  });
  // Body parsing leaves the async context of onRequest; enter it again right before the handler.
  fastify.addHook('preHandler', (request, _reply, done) => runWithTrace(request.id, done));
  // A request that finishes while the server closes must not leave its keep-alive connection
  // open: close() would wait for the client's keep-alive timeout (72 s) before the process exits.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    logAccess(accessLogger, request, reply.statusCode, reply.elapsedTime);
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(definition.title)
      .setDescription(
        'Traffic fines: look up and pay. Errors are application/problem+json (RFC 9457); `Accept-Language: ar` answers in Arabic. Events: /docs/asyncapi.json',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  const asyncApi = buildAsyncApiDocument();
  fastify.get('/docs/asyncapi.json', () => Promise.resolve(asyncApi));

  const transport = app.get<CustomTransportStrategy | undefined>(EVENT_TRANSPORT_SERVER, { strict: false });
  // The app's global filter hands event handlers' errors back as thrown, for the pipeline's retries.
  if (transport) app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}

/** The one start-up every main.ts calls; a failure to start is logged as one fatal line and exits 1. */
export function bootstrap(definition: ServiceDefinition): Promise<NestFastifyApplication | undefined> {
  return start(definition).catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: definition.name, msg: 'failed to start', err: (error as Error)?.stack ?? String(error) })}\n`,
    );
    process.exit(1);
  });
}

async function start(definition: ServiceDefinition): Promise<NestFastifyApplication> {
  const config = configure(definition);
  const app = await createApplication(definition, config);
  await app.startAllMicroservices();
  await app.listen({ port: config.app.PORT, host: config.app.HOST });
  // A watchdog: if draining takes longer than the grace period, exit anyway, as an orchestrator would.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        app.get(Logger).error(`shutdown took longer than SHUTDOWN_GRACE_MS=${config.app.SHUTDOWN_GRACE_MS} ms; exiting`);
        process.exit(1);
      }, config.app.SHUTDOWN_GRACE_MS).unref();
    });
  }
  app
    .get(Logger)
    .log(`${definition.name} listening on ${config.app.HOST}:${config.app.PORT} (${config.database.DB_DRIVER}, ${config.messaging.EVENT_TRANSPORT})`);
  return app;
}
