import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from '../auth/principal';

/** One Prometheus registry per process; libraries add their own instruments to it. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly outboxPublished = new Counter({
    name: 'outbox_published_total',
    help: 'Events published from the outbox.',
    labelNames: ['service'],
    registers: [this.registry],
  });
  readonly outboxPending = new Gauge({
    name: 'outbox_pending',
    help: 'Outbox rows seen unpublished at the last relay pass.',
    labelNames: ['service'],
    registers: [this.registry],
  });
  readonly eventsHandled = new Counter({
    name: 'events_handled_total',
    help: 'Events consumed, by outcome (handled, duplicate, ignored, dead_lettered).',
    labelNames: ['consumer', 'type', 'outcome'],
    registers: [this.registry],
  });
  readonly eventHandlerFailures = new Counter({
    name: 'event_handler_failures_total',
    help: 'Failed attempts of event handlers (each retry counts).',
    labelNames: ['consumer', 'type'],
    registers: [this.registry],
  });
  readonly eventLag = new Histogram({
    name: 'event_end_to_end_seconds',
    help: 'From the event being written to its effect being committed by a consumer.',
    labelNames: ['consumer'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
