import { EntityManager } from 'typeorm';

/**
 * `plate_owner`: who owns each plate, the read model that payment-gateway (payer scopes) and
 * notification (whom to alert) each keep in their own database from the registry's events.
 */
export const CREATE_PLATE_OWNER_TABLE = `CREATE TABLE plate_owner (
      plate_type varchar(20) NOT NULL,
      plate_number varchar(7) NOT NULL,
      owner_type varchar(7) NOT NULL,
      owner_id varchar(12) NOT NULL,
      PRIMARY KEY (plate_type, plate_number)
    )`;

/** Records plates' owners in one statement; of several rows for one plate, the last wins (as applying them in order would). */
export async function upsertPlateOwners(
  manager: EntityManager,
  rows: { plateType: string; plateNumber: string; owner: { type: string; id: string } }[],
): Promise<void> {
  await manager.query(
    `INSERT INTO plate_owner (plate_type, plate_number, owner_type, owner_id)
     SELECT DISTINCT ON (pt, pn) pt, pn, ot, oi FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(pt, pn, ot, oi, ord)
      ORDER BY pt, pn, ord DESC
     ON CONFLICT (plate_type, plate_number) DO UPDATE SET owner_type = EXCLUDED.owner_type, owner_id = EXCLUDED.owner_id`,
    [rows.map((r) => r.plateType), rows.map((r) => r.plateNumber), rows.map((r) => r.owner.type), rows.map((r) => r.owner.id)],
  );
}
