import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox, inbox and dead-letter tables every service has in its own database.
 * One statement per query: PGlite refuses several in one prepared statement.
 */
export class CreateMessagingTables1763798400000 implements MigrationInterface {
  name = 'CreateMessagingTables1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE outbox_message (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL,
      topic text NOT NULL,
      message_key text NOT NULL,
      envelope jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`);
    await q.query(`CREATE INDEX outbox_message_unpublished ON outbox_message (id) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_message_published_at ON outbox_message (published_at) WHERE published_at IS NOT NULL`);
    await q.query(`CREATE TABLE inbox_message (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      outcome text NOT NULL DEFAULT 'HANDLED' CHECK (outcome IN ('HANDLED', 'DEAD_LETTERED')),
      handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
    await q.query(`CREATE INDEX inbox_message_handled_at ON inbox_message (handled_at)`);
    await q.query(`CREATE TABLE dead_letter (
      id bigserial PRIMARY KEY,
      consumer text NOT NULL,
      event_id uuid,
      event_type text,
      topic text NOT NULL,
      kafka_partition integer,
      kafka_offset text,
      message text NOT NULL,
      error text NOT NULL,
      attempts integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letter`);
    await q.query(`DROP TABLE inbox_message`);
    await q.query(`DROP TABLE outbox_message`);
  }
}
