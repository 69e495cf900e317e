import { DynamicModule, Inject, Module, OnApplicationBootstrap, BeforeApplicationShutdown, Provider } from '@nestjs/common';
import { DatabaseModule, ServiceDatabase, TransactionHost, transactionHostToken } from '@app/persistence';
import { EVENT_TRANSPORT_SERVER, Metrics, PLATFORM_CONFIG, PlatformConfig, ReadinessRegistry, ServiceName } from '@app/platform';
import { ConsumerPipeline } from './consumer/consumer-pipeline';
import { ConsumerRegistry } from './consumer/consumer-registry';
import { InProcessBus, InProcessEventServer } from './inprocess/in-process.transport';
import { KafkaEventServer, KafkaPublisher } from './kafka/kafka.transport';
import { CreateMessagingTables1763798400000 } from './messaging.migration';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxRelay } from './outbox/outbox-relay';
import { EVENT_TRANSPORT, EventTransport } from './transport';

export function eventPublisherToken(service: ServiceName): string {
  return `EventPublisher:${service}`;
}

export const InjectEventPublisher = (service: ServiceName) => Inject(eventPublisherToken(service));

/**
 * The process-wide half of messaging: the transport chosen by EVENT_TRANSPORT (Kafka, or the
 * in-process bus of the embedded default), the consumer pipeline, and the @nestjs/microservices
 * server that the bootstrap connects.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    const transportProviders: Provider[] =
      config.messaging.EVENT_TRANSPORT === 'kafka'
        ? [
            KafkaPublisher,
            { provide: EVENT_TRANSPORT, useExisting: KafkaPublisher },
            {
              provide: EVENT_TRANSPORT_SERVER,
              inject: [ConsumerRegistry, ConsumerPipeline, KafkaPublisher, PLATFORM_CONFIG, ReadinessRegistry],
              useFactory: (r: ConsumerRegistry, p: ConsumerPipeline, k: KafkaPublisher, c: PlatformConfig, h: ReadinessRegistry) =>
                new KafkaEventServer(r, p, k, c, h),
            },
          ]
        : [
            InProcessBus,
            { provide: EVENT_TRANSPORT, useExisting: InProcessBus },
            {
              provide: EVENT_TRANSPORT_SERVER,
              inject: [ConsumerRegistry, ConsumerPipeline, InProcessBus],
              useFactory: (r: ConsumerRegistry, p: ConsumerPipeline, b: InProcessBus) => new InProcessEventServer(r, p, b),
            },
          ];
    return {
      module: MessagingModule,
      global: true,
      providers: [ConsumerRegistry, ConsumerPipeline, ...transportProviders],
      exports: [ConsumerRegistry, ConsumerPipeline, EVENT_TRANSPORT, EVENT_TRANSPORT_SERVER],
    };
  }

  /**
   * One service's data and messaging: its database (with the outbox, inbox and dead-letter tables
   * added to its migrations), its event publisher and outbox relay, and its consumer registration.
   */
  static forService(service: ServiceName, database: ServiceDatabase): DynamicModule {
    const relayToken = `OutboxRelay:${service}`;

    class ServiceMessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
      constructor(
        @Inject(relayToken) private readonly relay: OutboxRelay,
        @Inject(transactionHostToken(service)) private readonly tx: TransactionHost,
        private readonly consumers: ConsumerRegistry,
      ) {
        this.consumers.registerDatabase(service, tx);
      }
      onApplicationBootstrap(): void {
        this.relay.start();
      }
      async beforeApplicationShutdown(): Promise<void> {
        await this.relay.stop();
      }
    }

    const migrations = [CreateMessagingTables1763798400000, ...(database.migrations as unknown[])] as ServiceDatabase['migrations'];
    return {
      module: MessagingModule,
      // Global is safe: every token is named after its service, so four services share one process.
      global: true,
      imports: [DatabaseModule.forService(service, { entities: database.entities, migrations })],
      providers: [
        {
          provide: relayToken,
          inject: [transactionHostToken(service), EVENT_TRANSPORT, PLATFORM_CONFIG, Metrics],
          useFactory: (tx: TransactionHost, transport: EventTransport, config: PlatformConfig, metrics: Metrics) =>
            new OutboxRelay(service, tx, transport, config, metrics),
        },
        {
          provide: eventPublisherToken(service),
          inject: [transactionHostToken(service), relayToken],
          useFactory: (tx: TransactionHost, relay: OutboxRelay) => new EventPublisher(service, tx, relay),
        },
        ServiceMessagingLifecycle,
      ],
      exports: [eventPublisherToken(service), DatabaseModule],
    };
  }
}
