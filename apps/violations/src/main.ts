import 'reflect-metadata';
import { MessagingModule } from '@app/messaging';
import { SERVICES, bootstrap } from '@app/platform';
import { ViolationsModule } from './violations.module';

void bootstrap({
  name: 'violations',
  services: ['violations'],
  title: 'Traffic fines: violations and inquiry',
  defaults: { PORT: String(SERVICES.violations.port), DB_DRIVER: 'postgres', EVENT_TRANSPORT: 'kafka' },
  imports: (config) => [MessagingModule.forRoot(config), ViolationsModule],
});
