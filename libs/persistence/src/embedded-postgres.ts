import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface EmbeddedDatabase {
  db: PGlite;
  server: PGLiteSocketServer;
  socketDir: string;
}

/**
 * PGlite (PostgreSQL in WebAssembly) for the embedded default: one database per service, each kept
 * on disk and served on a private Unix socket so that the ordinary `pg` driver and TypeORM's
 * postgres driver talk to it unchanged. PGlite has a single session, so each data source using it
 * is given exactly one connection: transactions queue instead of interleaving.
 */
@Injectable()
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private readonly databases = new Map<string, Promise<EmbeddedDatabase>>();

  /** Starts (once) the database of a service and answers how `pg` reaches it. */
  connectionFor(service: string, dataDir: string): Promise<{ host: string; port: number }> {
    let started = this.databases.get(service);
    if (!started) {
      started = this.start(service, resolve(dataDir, service));
      this.databases.set(service, started);
    }
    return started.then((d) => ({ host: d.socketDir, port: 5432 }));
  }

  private async start(service: string, dir: string): Promise<EmbeddedDatabase> {
    mkdirSync(dir, { recursive: true });
    const begin = Date.now();
    const db = await PGlite.create({ dataDir: dir });
    const socketDir = mkdtempSync(join(tmpdir(), `fines-${service.slice(0, 8)}-`));
    const server = new PGLiteSocketServer({ db, path: join(socketDir, '.s.PGSQL.5432'), maxConnections: 1 });
    await server.start();
    this.logger.log(`PGlite for ${service} ready in ${Date.now() - begin} ms at ${dir}`);
    return { db, server, socketDir };
  }

  async onApplicationShutdown(): Promise<void> {
    const all = await Promise.allSettled(this.databases.values());
    for (const result of all) {
      if (result.status !== 'fulfilled') continue;
      const { db, server, socketDir } = result.value;
      await server.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      rmSync(socketDir, { recursive: true, force: true });
    }
    this.databases.clear();
  }
}
