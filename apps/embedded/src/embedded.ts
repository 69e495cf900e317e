import { MessagingModule } from '@app/messaging';
import { ServiceDefinition } from '@app/platform';
// The embedded runner is the one composition root allowed to import every service (see .dependency-cruiser.js).
import { NotificationModule } from '../../notification/src/notification.module';
import { PaymentGatewayModule } from '../../payment-gateway/src/payment-gateway.module';
import { VehicleRegistryModule } from '../../vehicle-registry/src/vehicle-registry.module';
import { ViolationsModule } from '../../violations/src/violations.module';

/** All four services' modules in one process, on PGlite and the in-process transport. */
export const EMBEDDED: ServiceDefinition = {
  name: 'embedded',
  services: ['vehicle-registry', 'violations', 'payment-gateway', 'notification'],
  title: 'Traffic fines (embedded: all services)',
  defaults: { PORT: '3000', DB_DRIVER: 'pglite', EVENT_TRANSPORT: 'inprocess', PGLITE_DIR: '.data/pglite', DEMO_DATA: 'true' },
  imports: (config) => [MessagingModule.forRoot(config), VehicleRegistryModule, ViolationsModule, PaymentGatewayModule, NotificationModule],
};
