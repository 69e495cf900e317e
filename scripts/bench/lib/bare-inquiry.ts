/**
 * The baseline of npm run bench:inquiry: GET /v1/inquiry/civil-id/:civilId on a bare Fastify route with
 * a pg Pool, no framework. Run as a child process (node dist/scripts/bench/lib/bare-inquiry.js) with
 * PORT, DATABASE_URL, AUTH_JWT_SECRET and DB_POOL_SIZE in the environment.
 *
 * It does what the service does on that route, and only that: the bearer token verified with jose
 * (HS256, the same secret), driver role and own civil ID checked (403 otherwise), the civil ID checked
 * (12 digits, check digit), then the same three queries as InquiryService.byCivilId, run in parallel
 * on the pool (fines of the owned plates, then fines as driver on other plates; owned vehicles; owner name), the SQL
 * copied verbatim from apps/violations/src/inquiry/inquiry.queries.ts and fines/fine-view.ts
 * (FINE_COLUMNS), and the same JSON answer: subject, vehicles with fine count and outstanding,
 * fines, totals. With BARE_PREPARED=1 the three queries are named (prepared) statements instead, to
 * measure what planning each query anew costs (not used by bench:inquiry itself). Not done here: request logging, metrics, trace IDs, problem+json errors, validation
 * pipes, Nest's guards and interceptors: that is the difference the benchmark measures.
 */
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { Pool } from 'pg';

// ---- copied from apps/violations/src/fines/fine-view.ts and inquiry/inquiry.queries.ts (keep in step)
const FINE_COLUMNS = `f.fine_number, f.status, f.plate_type, f.plate_number, f.violation_code, vt.title_ar, vt.title_en, vt.points,
  f.occurred_at, f.location_ar, f.location_en, f.lat, f.lng, f.amount_minor, f.currency, f.driver_civil_id, f.issued_at, f.paid_at, f.payment_number`;
const ORDER = 'ORDER BY occurred_at DESC, fine_number DESC';
// inquiry.queries.ts civilIdFines() for the default filter (its status list is written into the text).
const BY_CIVIL_ID = `SELECT ${FINE_COLUMNS} FROM plate_ownership p
             JOIN fine f ON f.plate_type = p.plate_type AND f.plate_number = p.plate_number
             JOIN violation_type vt ON vt.code = f.violation_code
            WHERE p.owner_type = 'PERSON' AND p.owner_id = $1 AND f.status IN ('UNPAID', 'PAYMENT_PENDING')
           UNION ALL
           SELECT ${FINE_COLUMNS} FROM fine f JOIN violation_type vt ON vt.code = f.violation_code
            WHERE f.driver_civil_id = $1 AND f.status IN ('UNPAID', 'PAYMENT_PENDING')
              AND NOT EXISTS (SELECT 1 FROM plate_ownership p
                               WHERE p.plate_type = f.plate_type AND p.plate_number = f.plate_number AND p.owner_type = 'PERSON' AND p.owner_id = $1)
           ${ORDER}`;
const OWNED_VEHICLES = `SELECT plate_type, plate_number, make, model FROM plate_ownership WHERE owner_type = $1 AND owner_id = $2 ORDER BY plate_type, plate_number`;
const SUBJECT = `SELECT name_ar, name_en FROM owner_name WHERE owner_type = $1 AND owner_id = $2`;
// ----

const OUTSTANDING = ['UNPAID', 'PAYMENT_PENDING'];
const WEIGHTS = [2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

interface FineRow {
  fine_number: string;
  status: string;
  plate_type: string;
  plate_number: string;
  violation_code: string;
  title_ar: string;
  title_en: string;
  points: number;
  occurred_at: Date;
  location_ar: string;
  location_en: string | null;
  lat: number | null;
  lng: number | null;
  amount_minor: number;
  currency: string;
  driver_civil_id: string | null;
  issued_at: Date;
  paid_at: Date | null;
  payment_number: string | null;
}

interface VehicleRow {
  plate_type: string;
  plate_number: string;
  make: string | null;
  model: string | null;
}

function validCivilId(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(value[i]) * WEIGHTS[i];
  const check = 11 - (sum % 11);
  return check < 10 && check === Number(value[11]);
}

/** Minor units as the decimal string of a 3-digit currency (KWD): 15000 -> "15.000". */
function money(minor: bigint | number, currency = 'KWD'): { amount: string; currency: string } {
  const abs = BigInt(minor).toString().padStart(4, '0');
  return { amount: `${abs.slice(0, -3)}.${abs.slice(-3)}`, currency };
}

function fineView(r: FineRow): Record<string, unknown> {
  const location: Record<string, unknown> = { textAr: r.location_ar };
  if (r.location_en) location.textEn = r.location_en;
  if (r.lat !== null) location.lat = r.lat;
  if (r.lng !== null) location.lng = r.lng;
  const view: Record<string, unknown> = {
    fineNumber: r.fine_number,
    status: r.status,
    violation: { code: r.violation_code, titleAr: r.title_ar, titleEn: r.title_en, points: r.points },
    plate: { plateNumber: r.plate_number, plateType: r.plate_type },
    occurredAt: r.occurred_at.toISOString(),
    location,
    amount: money(r.amount_minor, r.currency),
    issuedAt: r.issued_at.toISOString(),
  };
  if (r.driver_civil_id) view.driverCivilId = r.driver_civil_id;
  if (r.paid_at) view.paidAt = r.paid_at.toISOString();
  if (r.payment_number) view.paymentNumber = r.payment_number;
  return view;
}

async function main(): Promise<void> {
  const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET ?? '');
  if (secret.length < 32) throw new Error('AUTH_JWT_SECRET of 32 bytes or more is required');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10), application_name: 'bench-bare-inquiry' });
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
    if (!validCivilId(civilId)) return reply.code(400).send({ status: 400, title: 'Bad Request' });
    if (claims.role !== 'admin' && (claims.role !== 'driver' || claims.civilId !== civilId)) return reply.code(403).send({ status: 403, title: 'Forbidden' });

    // BARE_PREPARED=1: named (prepared) statements, planned once per connection, instead of the service's unnamed ones.
    const q = (name: string, text: string, values: unknown[]) => (prepared ? { name, text, values } : { text, values });
    const [fines, vehicles, subject] = await Promise.all([
      pool.query<FineRow>(q('by_civil_id', BY_CIVIL_ID, [civilId])),
      pool.query<VehicleRow>(q('owned_vehicles', OWNED_VEHICLES, ['PERSON', civilId])),
      pool.query<{ name_ar: string; name_en: string | null }>(q('subject', SUBJECT, ['PERSON', civilId])),
    ]);
    const byPlate = new Map<string, { count: number; outstanding: bigint }>();
    let outstanding = 0n;
    for (const f of fines.rows) {
      const key = `${f.plate_type}:${f.plate_number}`;
      const entry = byPlate.get(key) ?? { count: 0, outstanding: 0n };
      entry.count++;
      if (OUTSTANDING.includes(f.status)) {
        entry.outstanding += BigInt(f.amount_minor);
        outstanding += BigInt(f.amount_minor);
      }
      byPlate.set(key, entry);
    }
    const name = subject.rows[0];
    return {
      subject: { type: 'PERSON', id: civilId, nameAr: name?.name_ar ?? null, nameEn: name?.name_en ?? null },
      vehicles: vehicles.rows.map((v) => {
        const entry = byPlate.get(`${v.plate_type}:${v.plate_number}`);
        return {
          plateNumber: v.plate_number,
          plateType: v.plate_type,
          make: v.make,
          model: v.model,
          fineCount: entry?.count ?? 0,
          outstanding: money(entry?.outstanding ?? 0n),
        };
      }),
      fines: fines.rows.map(fineView),
      totals: { count: fines.rows.length, outstanding: money(outstanding) },
    };
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
