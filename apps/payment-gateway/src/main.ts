import 'reflect-metadata';
import { MessagingModule } from '@app/messaging';
import { SERVICES, bootstrap } from '@app/platform';
import { PaymentGatewayModule } from './payment-gateway.module';

void bootstrap({
  name: 'payment-gateway',
  services: ['payment-gateway'],
  title: 'Traffic fines: payments',
  defaults: { PORT: String(SERVICES['payment-gateway'].port), DB_DRIVER: 'postgres', EVENT_TRANSPORT: 'kafka' },
  imports: (config) => [MessagingModule.forRoot(config), PaymentGatewayModule],
});
