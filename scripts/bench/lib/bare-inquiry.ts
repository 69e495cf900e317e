/**
 * The baseline of npm run bench:inquiry: GET /v1/inquiry/civil-id/:civilId on a bare Fastify route with
 * a pg Pool, no framework. Run as a child process (node dist/scripts/bench/lib/bare-inquiry.js) with
 * PORT, DATABASE_URL, AUTH_JWT_SECRET, DB_POOL_SIZE and DB_POOL_IDLE_TIMEOUT_MS in the environment
 * (bench:inquiry passes the service's own: the environment's, else DatabaseConfig's defaults).
 *
 * It does what the service does on that route, and only that: the bearer token verified with jose
 * (HS256, the same secret), driver role and own civil ID checked (403 otherwise), the civil ID checked
 * (12 digits, check digit), then the same three queries as InquiryService.byCivilId, run in parallel
 * on the pool (fines of the owned plates, then fines as driver on other plates; owned vehicles; owner name), built
 * by the service's own pure SQL builders (inquiry.queries.ts), and the same JSON answer, built by the same pure
 * function (inquiry-answer.ts): subject, vehicles with fine count and outstanding, fines, totals. With BARE_PREPARED=1 the three queries are named (prepared) statements instead, to
 * measure what planning each query anew costs (not used by bench:inquiry itself). Not done here: request logging, metrics, trace IDs, problem+json errors, validation
 * pipes, Nest's guards and interceptors: that is the difference the benchmark measures.
 */
import 'reflect-metadata'; // fine-view reaches the fine entity's decorators
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';
import { isValidCivilId } from '@app/contracts';
import { FineRow, OUTSTANDING } from '../../../apps/violations/src/fines/fine-view';
import { VehicleRow, inquiryAnswer } from '../../../apps/violations/src/inquiry/inquiry-answer';
import { civilIdFines, ownedVehicles, ownerName } from '../../../apps/violations/src/inquiry/inquiry.queries';

// The service's own SQL (pure builders, no Nest), built once: only the civil ID changes per request.
const BY_CIVIL_ID = civilIdFines('', OUTSTANDING).text;
const OWNED_VEHICLES = ownedVehicles('PERSON', '').text;
const SUBJECT = ownerName('PERSON', '').text;

async function main(): Promise<void> {
  const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET ?? '');
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET of 32 bytes or more is required');
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    idleTimeoutMillis: Number(process.env.DB_POOL_IDLE_TIMEOUT_MS ?? 60000),
    application_name: 'bench-bare-inquiry',
  });
  const prepared = process.env.BARE_PREPARED === '1';
  const app = Fastify({ logger: false });

  app.get('/health', () => Promise.resolve({ status: 'ok' }));

  app.get<{ Params: { civilId: string } }>('/v1/inquiry/civil-id/:civilId', async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) return reply.code(401).send({ status: 401, title: 'Unauthorized' });
    let claims: Record<string, unknown>;
    try {
      claims = (await jwtVerify(match[1], secret, { algorithms: ['HS256'] })).payload;
    } catch {
      return reply.code(401).send({ status: 401, title: 'Unauthorized' });
    }
    const civilId = request.params.civilId;
    if (!isValidCivilId(civilId)) return reply.code(400).send({ status: 400, title: 'Bad Request' });
    if (claims.role !== 'admin' && (claims.role !== 'driver' || claims.civilId !== civilId)) return reply.code(403).send({ status: 403, title: 'Forbidden' });

    // BARE_PREPARED=1: named (prepared) statements, planned once per connection, instead of the service's unnamed ones.
    const q = (name: string, text: string, values: unknown[]) => (prepared ? { name, text, values } : { text, values });
    const [fines, vehicles, subject] = await Promise.all([
      pool.query<FineRow>(q('by_civil_id', BY_CIVIL_ID, [civilId])),
      pool.query<VehicleRow>(q('owned_vehicles', OWNED_VEHICLES, ['PERSON', civilId])),
      pool.query<{ name_ar: string; name_en: string | null }>(q('subject', SUBJECT, ['PERSON', civilId])),
    ]);
    const name = subject.rows[0];
    return inquiryAnswer({ type: 'PERSON', id: civilId, nameAr: name?.name_ar ?? null, nameEn: name?.name_en ?? null }, vehicles.rows, fines.rows);
  });

  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = () => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare inquiry server failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
