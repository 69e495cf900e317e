import 'reflect-metadata';
import { MessagingModule } from '@app/messaging';
import { SERVICES, bootstrap } from '@app/platform';
import { VehicleRegistryModule } from './vehicle-registry.module';

void bootstrap({
  name: 'vehicle-registry',
  services: ['vehicle-registry'],
  title: 'Traffic fines: vehicle registry',
  defaults: { PORT: String(SERVICES['vehicle-registry'].port), DB_DRIVER: 'postgres', EVENT_TRANSPORT: 'kafka' },
  imports: (config) => [MessagingModule.forRoot(config), VehicleRegistryModule],
});
