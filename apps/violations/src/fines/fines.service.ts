import { Injectable } from '@nestjs/common';
import { plateKey } from '@app/contracts';
import { EventPublisher, InjectEventPublisher } from '@app/messaging';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { ViolationType } from '../catalogue/violation-type.entity';
import { fineWithOwner } from '../inquiry/inquiry.queries';
import { ViolationsErrors } from '../violations.errors';
import { RecordFineDto } from './dto/fine.dto';
import { OwnedFineRow } from './fine-access';
import { FINE_COLUMNS, FineRow } from './fine-view';

/** Recording and cancelling fines, with their events. */
@Injectable()
export class FinesService {
  constructor(
    @InjectTransactionHost('violations') private readonly tx: TransactionHost,
    @InjectEventPublisher('violations') private readonly events: EventPublisher,
  ) {}

  /** Records a fine once per external reference; answers it and whether it was created now. */
  async record(dto: RecordFineDto): Promise<{ fine: FineRow; created: boolean }> {
    return this.tx.run(async (manager) => {
      const type = await manager.findOneBy(ViolationType, { code: dto.violationCode, active: true });
      if (!type) throw ViolationsErrors.unknownViolationType(dto.violationCode);
      const inserted: { fine_number: string }[] = await manager.query(
        `INSERT INTO fine (fine_number, external_ref, plate_type, plate_number, violation_code, amount_minor, currency, status, occurred_at,
           location_ar, location_en, lat, lng, driver_civil_id, source_type, source_id, issued_at)
         VALUES (to_char(now(), 'YY') || lpad(nextval('fine_number_seq')::text, 9, '0'), $1, $2, $3, $4, $5, 'KWD', 'UNPAID', $6, $7, $8, $9, $10, $11, $12, $13, now())
         ON CONFLICT (external_ref) DO NOTHING RETURNING fine_number`,
        [
          dto.externalRef,
          dto.plateType,
          dto.plateNumber,
          type.code,
          type.amountMinor,
          dto.occurredAt,
          dto.location.textAr,
          dto.location.textEn ?? null,
          dto.location.lat ?? null,
          dto.location.lng ?? null,
          dto.driverCivilId ?? null,
          dto.source.type,
          dto.source.id,
        ],
      );
      if (inserted.length === 0) return { fine: await this.byExternalRef(dto.externalRef), created: false };
      const fine = await this.find(inserted[0].fine_number);
      await this.events.publish('fineIssued', plateKey(fine!.plate_type, fine!.plate_number), {
        fineNumber: fine!.fine_number,
        plateType: fine!.plate_type,
        plateNumber: fine!.plate_number,
        violation: { code: type.code, titleAr: type.titleAr, titleEn: type.titleEn, points: type.points },
        amountMinor: fine!.amount_minor,
        currency: fine!.currency,
        occurredAt: fine!.occurred_at.toISOString(),
        location: { textAr: fine!.location_ar, textEn: fine!.location_en },
        driverCivilId: fine!.driver_civil_id,
      });
      return { fine: fine!, created: true };
    });
  }

  /** Cancels an unpaid fine; cancelling a cancelled fine again changes nothing. */
  async cancel(fineNumber: string, reason: string): Promise<FineRow> {
    return this.tx.run(async (manager) => {
      const [current]: { status: string }[] = await manager.query(`SELECT status FROM fine WHERE fine_number = $1 FOR UPDATE`, [fineNumber]);
      if (!current) throw ViolationsErrors.fineNotFound(fineNumber);
      if (current.status === 'CANCELLED') return (await this.find(fineNumber))!;
      if (current.status !== 'UNPAID') throw ViolationsErrors.fineNotCancellable(fineNumber, current.status);
      await manager.query(`UPDATE fine SET status = 'CANCELLED', cancelled_at = now(), cancellation_reason = $2 WHERE fine_number = $1`, [fineNumber, reason]);
      const fine = (await this.find(fineNumber))!;
      await this.events.publish('fineCancelled', plateKey(fine.plate_type, fine.plate_number), {
        fineNumber,
        plateType: fine.plate_type,
        plateNumber: fine.plate_number,
        amountMinor: fine.amount_minor,
        currency: fine.currency,
        reason,
      });
      return fine;
    });
  }

  async find(fineNumber: string): Promise<FineRow | undefined> {
    const [row]: FineRow[] = await this.tx.manager.query(
      `SELECT ${FINE_COLUMNS} FROM fine f JOIN violation_type vt ON vt.code = f.violation_code WHERE f.fine_number = $1`,
      [fineNumber],
    );
    return row;
  }

  private async byExternalRef(externalRef: string): Promise<FineRow> {
    const [row]: FineRow[] = await this.tx.manager.query(
      `SELECT ${FINE_COLUMNS} FROM fine f JOIN violation_type vt ON vt.code = f.violation_code WHERE f.external_ref = $1`,
      [externalRef],
    );
    return row;
  }

  /** A fine with its plate's current owner, for a caller's read (mayRead): one prepared statement. */
  async findWithOwner(fineNumber: string): Promise<OwnedFineRow | undefined> {
    const [row] = await this.tx.read<OwnedFineRow>(fineWithOwner(fineNumber));
    return row;
  }
}
