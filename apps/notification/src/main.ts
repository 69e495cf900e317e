import 'reflect-metadata';
import { MessagingModule } from '@app/messaging';
import { SERVICES, bootstrap } from '@app/platform';
import { NotificationModule } from './notification.module';

void bootstrap({
  name: 'notification',
  services: ['notification'],
  title: 'Traffic fines: notifications',
  defaults: { PORT: String(SERVICES.notification.port), DB_DRIVER: 'postgres', EVENT_TRANSPORT: 'kafka' },
  imports: (config) => [MessagingModule.forRoot(config), NotificationModule],
});
