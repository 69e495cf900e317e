/**
 * The baseline of npm run bench:inquiry: GET /v1/inquiry/civil-id/:civilId on a bare Fastify route with
 * a pg Pool, no framework. Run as a child process (node dist/scripts/bench/lib/bare-inquiry.js) with
 * PORT, DATABASE_URL, AUTH_JWT_SECRET, DB_POOL_SIZE and DB_POOL_IDLE_TIMEOUT_MS in the environment
 * (bench:inquiry passes the service's own: the environment's, else DatabaseConfig's defaults).
 *
 * It does what the service does on that route, and only that: the bearer token verified with jose
 * (HS256, the same secret), driver role and own civil ID checked (403 otherwise), the civil ID checked
 * (12 digits, check digit), then the same query as InquiryService.byCivilId (fines of the owned plates,
 * then fines as driver on other plates, the owner's name and vehicles, in one statement), built by the
 * service's own pure SQL builder (inquiry.queries.ts), and the same JSON answer, built by the same pure
 * function (inquiry-answer.ts): subject, vehicles with fine count and outstanding, fines, totals; the
 * builder names it, so it is the same prepared statement as the service's (planned once per
 * connection; with DB_PREPARED_STATEMENTS=false, as the service is then, unnamed). Not done here: request logging, metrics, trace IDs, problem+json errors, validation
 * pipes, Nest's guards and interceptors: that is the difference the benchmark measures.
 */
import 'reflect-metadata'; // fine-view reaches the fine entity's decorators
import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';
import { isValidCivilId } from '@app/contracts';
import { OUTSTANDING } from '../../../apps/violations/src/fines/fine-view';
import { CivilIdRow, civilIdAnswer } from '../../../apps/violations/src/inquiry/inquiry-answer';
import { civilIdInquiry } from '../../../apps/violations/src/inquiry/inquiry.queries';

// The service's own SQL (a pure builder, no Nest) and statement name, built once: only the civil ID changes per request.
const prepare = process.env.DB_PREPARED_STATEMENTS !== 'false';
const { name, text } = civilIdInquiry('', OUTSTANDING);
const byCivilId = (civilId: string) => ({ ...(prepare ? { name } : {}), text, values: [civilId] });

async function main(): Promise<void> {
  // A KeyObject, as the service's TokenVerifier holds it.
  const secret = createSecretKey(Buffer.from(process.env.AUTH_JWT_SECRET ?? ''));
  if (secret.symmetricKeySize! < 32) throw new Error('AUTH_JWT_SECRET of 32 bytes or more is required');
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
    idleTimeoutMillis: Number(process.env.DB_POOL_IDLE_TIMEOUT_MS ?? 60000),
    application_name: 'bench-bare-inquiry',
  });
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

    return civilIdAnswer(civilId, (await pool.query<CivilIdRow>(byCivilId(civilId))).rows);
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
