import { Injectable } from '@nestjs/common';
import { EventEnvelope, OwnerType, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { Principal } from '@app/platform';

/** The owner a driver's or a fleet's token stands for; none for the other roles. */
export function ownerOf(principal: Principal): [OwnerType, string] | undefined {
  if (principal.role === 'driver' && principal.civilId) return ['PERSON', principal.civilId];
  if (principal.role === 'fleet' && principal.companyNo) return ['COMPANY', principal.companyNo];
  return undefined;
}

/** Whether two owners are the same: type and number alike. */
export function sameOwner(a: readonly [OwnerType, string] | undefined, b: readonly [OwnerType, string] | undefined): boolean {
  return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

/**
 * Keeps violations' own copy of who owns each plate, so an inquiry by civil ID or company is one
 * local query. Runs inside the consumer's transaction, with the events' inbox rows, and applies a
 * run of events in two statements whatever its length: when a plate appears twice in a run, the
 * later event wins the current owner, and every event leaves its row in the change history.
 */
@Injectable()
export class OwnershipReadModel {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  async recordRegistrations(events: EventEnvelope<VehicleRegistered>[]): Promise<void> {
    const p = events.map((e) => e.payload);
    await this.tx.manager.query(
      `INSERT INTO plate_ownership (plate_type, plate_number, owner_type, owner_id, make, model, year, color, owned_since, last_event_id)
       SELECT DISTINCT ON (pt, pn) pt, pn, ot, oi, mk, md, yr, cl, at, eid
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::timestamptz[], $10::uuid[])
              WITH ORDINALITY AS e(pt, pn, ot, oi, mk, md, yr, cl, at, eid, ord)
        ORDER BY pt, pn, ord DESC
       ON CONFLICT (plate_type, plate_number) DO UPDATE SET
         owner_type = EXCLUDED.owner_type, owner_id = EXCLUDED.owner_id, make = EXCLUDED.make, model = EXCLUDED.model,
         year = EXCLUDED.year, color = EXCLUDED.color, owned_since = EXCLUDED.owned_since, last_event_id = EXCLUDED.last_event_id`,
      [
        p.map((x) => x.plateType),
        p.map((x) => x.plateNumber),
        p.map((x) => x.owner.type),
        p.map((x) => x.owner.id),
        p.map((x) => x.vehicle.make),
        p.map((x) => x.vehicle.model),
        p.map((x) => x.vehicle.year),
        p.map((x) => x.vehicle.color),
        events.map((e) => e.occurredAt),
        events.map((e) => e.eventId),
      ],
    );
    await this.recordChanges(
      events.map((e) => ({ eventId: e.eventId, plateType: e.payload.plateType, plateNumber: e.payload.plateNumber, owner: e.payload.owner, at: e.occurredAt })),
    );
  }

  async recordTransfers(events: EventEnvelope<VehicleOwnershipTransferred>[]): Promise<void> {
    const p = events.map((e) => e.payload);
    const moved: { plate_type: string; plate_number: string }[] = await this.tx.manager.query(
      // A CTE so the driver answers the returned rows (TypeORM answers [rows, count] for a bare UPDATE).
      `WITH moved AS (UPDATE plate_ownership o SET owner_type = e.ot, owner_id = e.oi, owned_since = e.at, last_event_id = e.eid
         FROM (SELECT DISTINCT ON (pt, pn) pt, pn, ot, oi, at, eid
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[]) WITH ORDINALITY AS x(pt, pn, ot, oi, at, eid, ord)
                ORDER BY pt, pn, ord DESC) e
        WHERE o.plate_type = e.pt AND o.plate_number = e.pn
        RETURNING o.plate_type, o.plate_number)
       SELECT plate_type, plate_number FROM moved`,
      [
        p.map((x) => x.plateType),
        p.map((x) => x.plateNumber),
        p.map((x) => x.newOwner.type),
        p.map((x) => x.newOwner.id),
        p.map((x) => x.transferredAt),
        events.map((e) => e.eventId),
      ],
    );
    const known = new Set(moved.map((m) => `${m.plate_type}:${m.plate_number}`));
    const unknown = p.find((x) => !known.has(`${x.plateType}:${x.plateNumber}`));
    if (unknown) throw new Error(`transfer of ${unknown.plateType}:${unknown.plateNumber} before its registration`);
    await this.recordChanges(
      events.map((e) => ({
        eventId: e.eventId,
        plateType: e.payload.plateType,
        plateNumber: e.payload.plateNumber,
        owner: e.payload.newOwner,
        at: e.payload.transferredAt,
      })),
    );
  }

  private async recordChanges(
    changes: { eventId: string; plateType: string; plateNumber: string; owner: { type: string; id: string }; at: string }[],
  ): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO plate_ownership_change (event_id, plate_type, plate_number, owner_type, owner_id, effective_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        changes.map((c) => c.eventId),
        changes.map((c) => c.plateType),
        changes.map((c) => c.plateNumber),
        changes.map((c) => c.owner.type),
        changes.map((c) => c.owner.id),
        changes.map((c) => c.at),
      ],
    );
  }
}
