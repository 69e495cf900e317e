import { Injectable } from '@nestjs/common';
import { FineCancelled, FineIssued, FineSettled, PlateType } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';

/** The registry's read model of unpaid fines per plate, fed by violations' events, a run at a time. */
@Injectable()
export class OutstandingFines {
  constructor(@InjectTransactionHost('vehicle-registry') private readonly tx: TransactionHost) {}

  async recordIssued(fines: FineIssued[]): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO outstanding_fine (fine_number, plate_type, plate_number, amount_minor, currency)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) ON CONFLICT (fine_number) DO NOTHING`,
      [
        fines.map((f) => f.fineNumber),
        fines.map((f) => f.plateType),
        fines.map((f) => f.plateNumber),
        fines.map((f) => f.amountMinor),
        fines.map((f) => f.currency),
      ],
    );
  }

  async recordCleared(fines: (FineCancelled | FineSettled)[]): Promise<void> {
    await this.tx.manager.query(`DELETE FROM outstanding_fine WHERE fine_number = ANY($1::text[])`, [fines.map((f) => f.fineNumber)]);
  }

  async ofPlate(plateType: PlateType, plateNumber: string): Promise<{ count: number; amountMinor: number }> {
    const [row]: { count: number; total: string }[] = await this.tx.manager.query(
      `SELECT count(*)::int AS count, coalesce(sum(amount_minor), 0)::bigint AS total FROM outstanding_fine WHERE plate_type = $1 AND plate_number = $2`,
      [plateType, plateNumber],
    );
    return { count: row.count, amountMinor: Number(row.total) };
  }
}
