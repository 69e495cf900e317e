import 'reflect-metadata';
import { bootstrap } from '@app/platform';
import { EMBEDDED } from './embedded';

void bootstrap(EMBEDDED);
