import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import type { OwnerType } from '@app/contracts';
import { TransactionHost } from '@app/persistence';
import { InquiryService } from '../../apps/violations/src/inquiry/inquiry.service';
import { civilIdInquiry, fineWithOwner, plateInquiry } from '../../apps/violations/src/inquiry/inquiry.queries';
import type { OwnedFineRow } from '../../apps/violations/src/fines/fine-access';
import { statusesFor } from '../../apps/violations/src/fines/dto/fine.dto';
import { migratedViolationsDatabase } from './support/violations-db';

interface PlanNode extends Record<string, unknown> {
  Plans?: PlanNode[];
}

/** A plan's nodes, depth first. */
function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

/**
 * The inquiry's reads as prepared statements on real PostgreSQL, through a pool of one connection so
 * that the test sees the session the reads ran in: each statement is prepared once and then only
 * executed, an error PostgreSQL answers keeps the connection and what it prepared, and inside a
 * transaction the reads run unnamed on the transaction's connection.
 */
describe('inquiry reads as prepared statements (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let tx: TransactionHost;
  let sut: InquiryService;
  const civilId = '288020122596';
  const inquiry = civilIdInquiry(civilId, statusesFor(undefined));
  const names = [inquiry.name];

  beforeAll(async () => {
    ({ dataSource } = await migratedViolationsDatabase('_prepared', 1));
    await dataSource.query(`INSERT INTO owner_name (owner_type, owner_id, name_ar, name_en) VALUES ('PERSON', $1, 'سارة أحمد', 'Sara Ahmad')`, [civilId]);
    tx = new TransactionHost(dataSource);
    sut = new InquiryService(tx);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** The inquiry statements the pool's one session has prepared, and that session's backend. */
  const session = async () => ({
    prepared: (await dataSource.query<{ name: string }[]>(`SELECT name FROM pg_prepared_statements WHERE name = ANY($1) ORDER BY name`, [names])).map(
      (r) => r.name,
    ),
    backend: (await dataSource.query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid`))[0].pid,
  });

  it('a civil ID inquiry prepares its one statement once, and answers the same from it', async () => {
    const first = await sut.byCivilId(civilId, statusesFor(undefined));
    expect(first.subject).toEqual({ type: 'PERSON', id: civilId, nameAr: 'سارة أحمد', nameEn: 'Sara Ahmad' });
    const { prepared, backend } = await session();
    expect(prepared).toEqual([...names].sort());
    expect(await sut.byCivilId(civilId, statusesFor(undefined))).toEqual(first);
    expect(await session()).toEqual({ prepared, backend });
  });

  it('an error PostgreSQL answers keeps the connection and what it prepared', async () => {
    const before = await session();
    await expect(tx.read({ name: 'inquiry_test_division', text: 'SELECT 1 / $1::int AS v', values: [0] })).rejects.toThrow('division by zero');
    expect(await session()).toEqual(before);
    expect((await sut.byCivilId(civilId, statusesFor(undefined))).subject.nameEn).toBe('Sara Ahmad');
  });

  it('inside a transaction the reads run on its connection, unnamed, and see its uncommitted rows', async () => {
    await expect(
      tx.run(async (m) => {
        await m.query(`UPDATE owner_name SET name_en = 'Sarah Ahmad' WHERE owner_type = 'PERSON' AND owner_id = $1`, [civilId]);
        expect((await sut.byCivilId(civilId, statusesFor(undefined))).subject.nameEn).toBe('Sarah Ahmad');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await sut.byCivilId(civilId, statusesFor(undefined))).subject.nameEn).toBe('Sara Ahmad');
  });

  it('an owner’s vehicles and name are read from their indexes alone, no heap page (migration 1763800900000)', async () => {
    await dataSource.query(
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       VALUES ('PRIVATE', '12345', 'PERSON', $1, 'Toyota', 'Land Cruiser', 2022, 'White', now(), gen_random_uuid())`,
      [civilId],
    );
    await dataSource.query(`VACUUM plate_ownership, owner_name`);
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // A table of one row is cheaper to scan whole: the test asks whether the index can answer alone.
      await runner.query(`SET LOCAL enable_seqscan = off`);
      const [
        {
          'QUERY PLAN': [plan],
        },
      ] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${inquiry.text}`, inquiry.values)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      const scans = nodes(plan.Plan).filter((node) => ['plate_ownership', 'owner_name'].includes(node['Relation Name'] as string));
      expect(scans).toEqual([
        expect.objectContaining({ 'Node Type': 'Index Only Scan', 'Index Name': 'plate_ownership_owner', 'Heap Fetches': 0, 'Actual Rows': 1 }),
        expect.objectContaining({ 'Node Type': 'Index Only Scan', 'Index Name': 'owner_name_pkey', 'Heap Fetches': 0, 'Actual Rows': 1 }),
      ]);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    const answer = await sut.byCivilId(civilId, statusesFor(undefined));
    expect(answer.vehicles).toEqual([expect.objectContaining({ plateNumber: '12345', plateType: 'PRIVATE', make: 'Toyota', model: 'Land Cruiser' })]);
  });

  it('a plate inquiry is one prepared statement: the plate’s fines newest first, read only for its owner or admin, and its owner', async () => {
    const fleet: [OwnerType, string] = ['COMPANY', '100777'];
    await dataSource.query(
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       VALUES ('TRUCK', '54321', $1, $2, 'Volvo', 'FH16', 2022, 'White', now(), gen_random_uuid())`,
      fleet,
    );
    await dataSource.query(
      `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
         location_ar, source_type, source_id, issued_at)
       SELECT 'P-' || n, 'PREPARED-' || n, 'TRUCK', '54321', code, amount_minor, 'KWD', 'UNPAID', now() - n * interval '1 day', 'الدائري الأول', 'CAMERA', 'CAM-1', now()
         FROM violation_type, generate_series(2, 1, -1) n WHERE code = 'RED-LIGHT'`,
    );
    const statuses = statusesFor(undefined);
    const statement = plateInquiry('TRUCK', '54321', statuses, fleet);
    const isPrepared = async () => (await dataSource.query<unknown[]>(`SELECT 1 FROM pg_prepared_statements WHERE name = $1`, [statement.name])).length === 1;
    expect(await isPrepared()).toBe(false);

    const mine = await sut.byPlate('TRUCK', '54321', statuses, fleet);
    expect(mine.owner).toEqual(fleet);
    expect(mine.answer.fines.map((f) => f.fineNumber)).toEqual(['P-1', 'P-2']);
    expect(mine.answer.vehicles).toEqual([
      { plateNumber: '54321', plateType: 'TRUCK', make: 'Volvo', model: 'FH16', fineCount: 2, outstanding: { amount: '300.000', currency: 'KWD' } },
    ]);
    expect(await isPrepared()).toBe(true);
    expect(await sut.byPlate('TRUCK', '54321', statuses, fleet)).toEqual(mine);

    // Another fleet: the same statement reads no fine, and answers the owner the controller refuses it for.
    const other = await sut.byPlate('TRUCK', '54321', statuses, ['COMPANY', '100778']);
    expect(other.owner).toEqual(fleet);
    expect(other.answer.fines).toEqual([]);
    expect((await sut.byPlate('TRUCK', '54321', statuses, ['PERSON', '100777'])).answer.fines).toEqual([]);
    // Admin reads as no owner: every fine.
    expect((await sut.byPlate('TRUCK', '54321', statuses)).answer.fines).toHaveLength(2);
    // A plate the read model does not know: no owner, no make.
    const unknown = await sut.byPlate('TRUCK', '99999', statuses);
    expect(unknown.owner).toBeUndefined();
    expect(unknown.answer.vehicles).toEqual([expect.objectContaining({ plateNumber: '99999', make: null, model: null, fineCount: 0 })]);
  });

  it('a fine is read with its plate’s owner now, in one prepared statement, and follows a transfer', async () => {
    await dataSource.query(
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       VALUES ('PRIVATE', '67890', 'PERSON', '285010112358', 'Nissan', 'Patrol', 2021, 'Black', now(), gen_random_uuid())`,
    );
    await dataSource.query(
      `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
         location_ar, source_type, source_id, issued_at)
       SELECT 'F-1', 'PREPARED-F-1', 'PRIVATE', '67890', code, amount_minor, 'KWD', 'UNPAID', now(), 'الدائري الأول', 'CAMERA', 'CAM-1', now()
         FROM violation_type WHERE code = 'RED-LIGHT'`,
    );
    const statement = fineWithOwner('F-1');
    const read = async () => (await tx.read<OwnedFineRow>(statement))[0];
    expect(await read()).toMatchObject({ fine_number: 'F-1', plate_number: '67890', amount_minor: 150000, owner_type: 'PERSON', owner_id: '285010112358' });
    expect((await dataSource.query<unknown[]>(`SELECT 1 FROM pg_prepared_statements WHERE name = $1`, [statement.name])).length).toBe(1);

    await dataSource.query(`UPDATE plate_ownership SET owner_type = 'COMPANY', owner_id = '100777' WHERE plate_type = 'PRIVATE' AND plate_number = '67890'`);
    expect(await read()).toMatchObject({ fine_number: 'F-1', owner_type: 'COMPANY', owner_id: '100777' });
    expect(await tx.read(fineWithOwner('F-2'))).toEqual([]);
  });
});
