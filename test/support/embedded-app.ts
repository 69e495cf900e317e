import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceName, configure, createApplication } from '@app/platform';
import { EMBEDDED } from '../../apps/embedded/src/embedded';

export interface EmbeddedTestApp {
  app: NestFastifyApplication;
  dataSource(service: ServiceName): DataSource;
  close(): Promise<void>;
}

/** The embedded default as `npm start` runs it, on a fresh PGlite directory, served through inject(). */
export async function startEmbedded(env: Record<string, string> = {}, options: { listen?: boolean } = {}): Promise<EmbeddedTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'fines-test-'));
  const processEnv: NodeJS.ProcessEnv = { NODE_ENV: 'test', LOG_LEVEL: 'silent', PGLITE_DIR: dir, DEMO_DATA: 'false', ...env };
  const config = configure(EMBEDDED, processEnv);
  const app = await createApplication(EMBEDDED, config);
  await app.startAllMicroservices();
  if (options.listen) await app.listen({ port: config.app.PORT, host: '127.0.0.1' });
  else await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    dataSource: (service) => app.get<DataSource>(getDataSourceToken(service)),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` answers something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 30000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
