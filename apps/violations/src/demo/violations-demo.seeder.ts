import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig, SeededRandom } from '@app/platform';
import { VIOLATION_TYPES } from '../catalogue/violation-types.data';
import { LOCATIONS } from './demo-locations';

const DEMO_FINES = 20000;
const SEED = 20261122;
const DAY = 24 * 60 * 60 * 1000;
const CHUNK = 2000;

interface Plate {
  plate_type: string;
  plate_number: string;
  owner_type: string;
  owner_id: string;
}

/**
 * Seeds 20,000 demo fines over the past two years, once the registry's demo vehicles have reached
 * violations' read model through the events. Each fine is written with its events (issued, then
 * settled or cancelled), so the registry's outstanding-fines model follows.
 */
@Injectable()
export class ViolationsDemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('ViolationsDemoSeeder');

  constructor(
    @InjectTransactionHost('violations') private readonly tx: TransactionHost,
    @InjectEventPublisher('violations') private readonly events: EventPublisher,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.app.DEMO_DATA !== 'true') return;
    // In the background: the service is ready at once and the fines appear within seconds.
    void this.seed().catch((error: unknown) => this.logger.error({ err: (error as Error).message }, 'demo fines were not seeded'));
  }

  private async seed(): Promise<void> {
    const [{ count }] = await this.tx.manager.query<{ count: number }[]>('SELECT count(*)::int AS count FROM fine');
    if (count > 0) return;
    const plates = await this.settledPlates();
    if (plates.length === 0) return;
    const started = Date.now();
    const random = new SeededRandom(SEED);
    const persons = plates.filter((p) => p.owner_type === 'PERSON').map((p) => p.owner_id);
    const now = Date.now();
    for (let offset = 0; offset < DEMO_FINES; offset += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, DEMO_FINES - offset) }, (_, i) => {
        const plate = random.pick(plates);
        const type = random.pick(VIOLATION_TYPES);
        const location = random.pick(LOCATIONS);
        const occurredAt = new Date(now - random.int(1, 730) * DAY - random.int(0, DAY - 1));
        const ageDays = (now - occurredAt.getTime()) / DAY;
        const roll = random.next();
        const status = roll < 0.03 ? 'CANCELLED' : roll < (ageDays > 180 ? 0.8 : 0.3) ? 'PAID' : 'UNPAID';
        const driver = plate.owner_type === 'PERSON' ? (random.next() < 0.4 ? plate.owner_id : null) : random.next() < 0.2 ? random.pick(persons) : null;
        const paidAt = status === 'PAID' ? new Date(Math.min(now, occurredAt.getTime() + random.int(1, 60) * DAY)) : null;
        return {
          externalRef: `DEMO-${offset + i}`,
          plate,
          type,
          location,
          occurredAt,
          status,
          driver,
          paidAt,
          paymentNumber: paidAt ? `P${String(9_000_000_000 + offset + i)}` : null,
          source: random.next() < 0.7 ? 'CAMERA' : 'OFFICER',
          sourceId: random.next() < 0.7 ? `CAM-${String(random.int(1, 600)).padStart(4, '0')}` : `OFF-${random.int(1000, 9999)}`,
        };
      });
      await this.tx.run(async (m) => {
        const numbers: { fine_number: string }[] = await m.query(
          `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
             location_ar, location_en, lat, lng, driver_civil_id, source_type, source_id, issued_at, paid_at, payment_number, cancelled_at, cancellation_reason)
           SELECT to_char(now(), 'YY') || lpad(nextval('fine_number_seq')::text, 9, '0'), ref, pt, pn, code, amount, 'KWD', status, occurred,
                  loc_ar, loc_en, lat, lng, driver, src, src_id, occurred, paid, payment,
                  CASE WHEN status = 'CANCELLED' THEN occurred + interval '3 days' END, CASE WHEN status = 'CANCELLED' THEN 'Appeal accepted' END
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::float8[], $11::float8[],
                         $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::text[])
                  AS r(ref, pt, pn, code, amount, status, occurred, loc_ar, loc_en, lat, lng, driver, src, src_id, paid, payment)
           RETURNING fine_number`,
          [
            rows.map((r) => r.externalRef),
            rows.map((r) => r.plate.plate_type),
            rows.map((r) => r.plate.plate_number),
            rows.map((r) => r.type.code),
            rows.map((r) => r.type.amountMinor),
            rows.map((r) => r.status),
            rows.map((r) => r.occurredAt.toISOString()),
            rows.map((r) => r.location.ar),
            rows.map((r) => r.location.en),
            rows.map((r) => r.location.lat),
            rows.map((r) => r.location.lng),
            rows.map((r) => r.driver),
            rows.map((r) => r.source),
            rows.map((r) => r.sourceId),
            rows.map((r) => r.paidAt?.toISOString() ?? null),
            rows.map((r) => r.paymentNumber),
          ],
        );
        const envelope = (name: 'fineIssued' | 'fineSettled' | 'fineCancelled', aggregateId: string, payload: object) => ({ name, aggregateId, payload });
        const issued = rows.map((r, i) =>
          envelope('fineIssued', plateKey(r.plate.plate_type as never, r.plate.plate_number), {
            fineNumber: numbers[i].fine_number,
            plateType: r.plate.plate_type,
            plateNumber: r.plate.plate_number,
            violation: { code: r.type.code, titleAr: r.type.titleAr, titleEn: r.type.titleEn, points: r.type.points },
            amountMinor: r.type.amountMinor,
            currency: 'KWD',
            occurredAt: r.occurredAt.toISOString(),
            location: { textAr: r.location.ar, textEn: r.location.en },
            driverCivilId: r.driver,
            seeded: true,
          }),
        );
        const closed = rows.flatMap((r, i) => {
          const common = {
            fineNumber: numbers[i].fine_number,
            plateType: r.plate.plate_type,
            plateNumber: r.plate.plate_number,
            amountMinor: r.type.amountMinor,
            currency: 'KWD',
          };
          const key = plateKey(r.plate.plate_type as never, r.plate.plate_number);
          if (r.status === 'PAID') return [envelope('fineSettled', key, { ...common, paymentNumber: r.paymentNumber, paidAt: r.paidAt!.toISOString() })];
          if (r.status === 'CANCELLED') return [envelope('fineCancelled', key, { ...common, reason: 'Appeal accepted', seeded: true })];
          return [];
        });
        await this.events.publishAll([...issued, ...closed]);
      });
    }
    this.logger.log({ fines: DEMO_FINES, plates: plates.length, ms: Date.now() - started }, 'demo fines seeded');
  }

  /** Waits until the ownership read model stops growing: the registry's demo events have arrived. */
  private async settledPlates(): Promise<Plate[]> {
    let last = -1;
    for (let i = 0; i < 120; i++) {
      const [{ count }] = await this.tx.manager.query<{ count: number }[]>('SELECT count(*)::int AS count FROM plate_ownership');
      if (count > 0 && count === last) break;
      last = count;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return this.tx.manager.query<Plate[]>('SELECT plate_type, plate_number, owner_type, owner_id FROM plate_ownership ORDER BY plate_type, plate_number');
  }
}
