import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PlateType, completeCivilId, ownerKey, plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { PLATFORM_CONFIG, PlatformConfig, SeededRandom } from '@app/platform';
import { COLORS, COMPANY_NAMES, FAMILY_NAMES, FIRST_NAMES, VEHICLES } from './demo-names';

export const DEMO = { persons: 1000, companies: 50, fleetCompanyNo: '100001', fleetPlates: 2000, vehicles: 3000, seed: 20261122 } as const;

interface Owner {
  type: 'PERSON' | 'COMPANY';
  id: string;
  nameAr: string;
  nameEn: string;
  mobile: string;
  email: string;
  language: 'ar' | 'en';
}

interface DemoVehicle {
  plateType: PlateType;
  plateNumber: string;
  owner: Owner;
  make: string;
  model: string;
  year: number;
  color: string;
}

/** The deterministic demo registry: the same persons, companies and vehicles on every machine. */
export function demoRegistry(): { persons: Owner[]; companies: Owner[]; vehicles: DemoVehicle[] } {
  const random = new SeededRandom(DEMO.seed);
  const persons: Owner[] = [];
  const seen = new Set<string>();
  while (persons.length < DEMO.persons) {
    const year = random.int(50, 99);
    const prefix = `2${year}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 28)).padStart(2, '0')}${String(random.int(0, 9999)).padStart(4, '0')}`;
    const civilId = completeCivilId(prefix);
    if (!civilId || seen.has(civilId)) continue;
    seen.add(civilId);
    const [firstAr, firstEn] = random.pick(FIRST_NAMES);
    const [fatherAr, fatherEn] = random.pick(FIRST_NAMES.slice(0, 20));
    const [familyAr, familyEn] = random.pick(FAMILY_NAMES);
    persons.push({
      type: 'PERSON',
      id: civilId,
      nameAr: `${firstAr} ${fatherAr} ${familyAr}`,
      nameEn: `${firstEn} ${fatherEn} ${familyEn}`,
      mobile: `+965${random.pick(['5', '6', '9'])}${String(random.int(0, 9999999)).padStart(7, '0')}`,
      email: `${firstEn.toLowerCase()}.${familyEn.toLowerCase().replace(/[^a-z]/g, '')}${persons.length}@example.com`,
      language: random.next() < 0.8 ? 'ar' : 'en',
    });
  }
  const companies: Owner[] = Array.from({ length: DEMO.companies }, (_, i) => {
    const [nameAr, nameEn] = COMPANY_NAMES[i % COMPANY_NAMES.length];
    const branch = Math.floor(i / COMPANY_NAMES.length);
    return {
      type: 'COMPANY',
      id: String(100001 + i),
      nameAr: branch ? `${nameAr} - فرع ${branch + 1}` : nameAr,
      nameEn: branch ? `${nameEn} (branch ${branch + 1})` : nameEn,
      mobile: `+9652${String(2000000 + i).padStart(7, '0')}`,
      email: `fleet${100001 + i}@example.com`,
      language: i % 3 === 0 ? 'en' : 'ar',
    };
  });
  const vehicles: DemoVehicle[] = [];
  const plates = new Set<string>();
  for (let i = 0; i < DEMO.vehicles; i++) {
    const owner = i < DEMO.fleetPlates ? companies[0] : i % 4 === 0 ? random.pick(companies.slice(1)) : random.pick(persons);
    const plateType: PlateType =
      owner.type === 'COMPANY' ? random.pick(['TRUCK', 'PRIVATE', 'TAXI'] as const) : random.next() < 0.95 ? 'PRIVATE' : 'MOTORCYCLE';
    let plateNumber: string;
    do plateNumber = String(random.int(1000, 999999));
    while (plates.has(`${plateType}:${plateNumber}`));
    plates.add(`${plateType}:${plateNumber}`);
    const [make, model] = random.pick(VEHICLES);
    vehicles.push({ plateType, plateNumber, owner, make, model, year: random.int(2008, 2026), color: random.pick(COLORS) });
  }
  return { persons, companies, vehicles };
}

/**
 * Seeds the demo registry into an empty database, with the same rows and outbox events the
 * registry would write one by one, so violations and notification build their read models from the
 * events as they do for real data.
 */
@Injectable()
export class RegistryDemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('RegistryDemoSeeder');

  constructor(
    @InjectTransactionHost('vehicle-registry') private readonly tx: TransactionHost,
    @InjectEventPublisher('vehicle-registry') private readonly events: EventPublisher,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.app.DEMO_DATA !== 'true') return;
    const [{ count }] = await this.tx.manager.query<{ count: number }[]>('SELECT count(*)::int AS count FROM person');
    if (count > 0) return;
    const started = Date.now();
    const { persons, companies, vehicles } = demoRegistry();
    await this.tx.run(async (m) => {
      const owners = [...persons, ...companies];
      await m.query(
        `INSERT INTO person (civil_id, name_ar, name_en, mobile, email, language) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        columns(persons, ['id', 'nameAr', 'nameEn', 'mobile', 'email', 'language']),
      );
      await m.query(
        `INSERT INTO company (company_no, name_ar, name_en, mobile, email, language) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        columns(companies, ['id', 'nameAr', 'nameEn', 'mobile', 'email', 'language']),
      );
      const ids: { id: string }[] = await m.query(
        `INSERT INTO vehicle (plate_type, plate_number, owner_type, owner_id, make, model, year, color)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::text[]) RETURNING id`,
        [
          vehicles.map((v) => v.plateType),
          vehicles.map((v) => v.plateNumber),
          vehicles.map((v) => v.owner.type),
          vehicles.map((v) => v.owner.id),
          vehicles.map((v) => v.make),
          vehicles.map((v) => v.model),
          vehicles.map((v) => v.year),
          vehicles.map((v) => v.color),
        ],
      );
      await m.query(
        `INSERT INTO ownership_period (vehicle_id, owner_type, owner_id, started_at) SELECT id, owner_type, owner_id, registered_at FROM vehicle WHERE id = ANY($1::uuid[])`,
        [ids.map((r) => r.id)],
      );
      await this.events.publishAll([
        ...owners.map((o) => ({
          name: 'ownerRegistered' as const,
          aggregateId: ownerKey(o.type, o.id),
          payload: {
            owner: { type: o.type, id: o.id },
            nameAr: o.nameAr,
            nameEn: o.nameEn,
            contact: { mobile: o.mobile, email: o.email, language: o.language },
          },
        })),
        ...vehicles.map((v) => ({
          name: 'vehicleRegistered' as const,
          aggregateId: plateKey(v.plateType, v.plateNumber),
          payload: {
            plateType: v.plateType,
            plateNumber: v.plateNumber,
            owner: { type: v.owner.type, id: v.owner.id },
            vehicle: { make: v.make, model: v.model, year: v.year, color: v.color },
          },
        })),
      ]);
    });
    this.logger.log(
      { persons: persons.length, companies: companies.length, vehicles: vehicles.length, ms: Date.now() - started },
      `demo registry seeded; try civil ID ${persons[0].id}, fleet company ${DEMO.fleetCompanyNo}`,
    );
  }
}

function columns<T>(rows: T[], keys: (keyof T)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k]));
}
