import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner lookups of every inquiry answered from their indexes alone: an owner's vehicles
 * (plate_ownership by owner, with make and model) and an owner's name (owner_name by owner). Each
 * had read one heap page per plate and one for the name, a page somewhere in the whole table: at
 * 5,000,000 fines, with PostgreSQL's 128 MB of shared buffers, 2.9 of a civil ID's 7.4 buffer reads
 * per inquiry (bench:inquiry's 4,000 sampled civil IDs), each a system call and a buffer evicted.
 * What the indexes carry is bounded: make and model at most 60 characters each, names 200.
 * An index-only scan still reads the heap page of a row changed since the table's last vacuum.
 * Built inside the migration's transaction, not CONCURRENTLY: writes to plate_ownership wait for its
 * index build (4.9 s at 2,000,000 plates in bench:data), and owner_name is locked, reads too, from
 * its new primary key's build (2.8 s at 1,000,000 names) to the commit.
 */
export class CoveringOwnerIndexes1763800900000 implements MigrationInterface {
  name = 'CoveringOwnerIndexes1763800900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX plate_ownership_owner_covering ON plate_ownership (owner_type, owner_id, plate_type, plate_number) INCLUDE (make, model)`);
    await q.query(
      `ALTER TABLE owner_name DROP CONSTRAINT owner_name_pkey, ADD CONSTRAINT owner_name_pkey PRIMARY KEY (owner_type, owner_id) INCLUDE (name_ar, name_en)`,
    );
    // Last: from here to the commit no one reads plate_ownership.
    await q.query(`DROP INDEX plate_ownership_owner`);
    await q.query(`ALTER INDEX plate_ownership_owner_covering RENAME TO plate_ownership_owner`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE owner_name DROP CONSTRAINT owner_name_pkey, ADD CONSTRAINT owner_name_pkey PRIMARY KEY (owner_type, owner_id)`);
    await q.query(`CREATE INDEX plate_ownership_owner_plain ON plate_ownership (owner_type, owner_id, plate_type, plate_number)`);
    await q.query(`DROP INDEX plate_ownership_owner`);
    await q.query(`ALTER INDEX plate_ownership_owner_plain RENAME TO plate_ownership_owner`);
  }
}
