import { Injectable } from '@nestjs/common';
import { FineCancelled, FineIssued, FineSettled, PlateType } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { OutstandingFine } from './outstanding-fine.entity';

/** The registry's read model of unpaid fines per plate, fed by violations' events. */
@Injectable()
export class OutstandingFines {
  constructor(@InjectTransactionHost('vehicle-registry') private readonly tx: TransactionHost) {}

  async recordIssued(fine: FineIssued): Promise<void> {
    await this.tx.manager.upsert(
      OutstandingFine,
      { fineNumber: fine.fineNumber, plateType: fine.plateType, plateNumber: fine.plateNumber, amountMinor: fine.amountMinor, currency: fine.currency },
      ['fineNumber'],
    );
  }

  async recordCleared(fine: FineCancelled | FineSettled): Promise<void> {
    await this.tx.manager.delete(OutstandingFine, { fineNumber: fine.fineNumber });
  }

  async ofPlate(plateType: PlateType, plateNumber: string): Promise<{ count: number; amountMinor: number }> {
    const [row]: { count: number; total: string }[] = await this.tx.manager.query(
      `SELECT count(*)::int AS count, coalesce(sum(amount_minor), 0)::bigint AS total FROM outstanding_fine WHERE plate_type = $1 AND plate_number = $2`,
      [plateType, plateNumber],
    );
    return { count: row.count, amountMinor: Number(row.total) };
  }
}
