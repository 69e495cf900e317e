import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EVENTS, EventEnvelope, FineCancelled, FineIssued, FineSettled, VehicleOwnershipTransferred, VehicleRegistered } from '@app/contracts';
import { OnEvents } from '@app/messaging';
import { InjectTransactionHost, TransactionHost, upsertPlateOwners } from '@app/persistence';

/**
 * payment-gateway's read models: which fines can be paid and who owns each plate, so a payment is
 * checked and priced locally, without calling violations or the registry.
 */
@Controller()
export class PayableFinesController {
  constructor(@InjectTransactionHost('payment-gateway') private readonly tx: TransactionHost) {}

  @OnEvents('payment-gateway', EVENTS.fineIssued)
  async onFinesIssued(@Payload() events: EventEnvelope<FineIssued>[]): Promise<void> {
    const f = events.map((e) => e.payload);
    await this.tx.manager.query(
      `INSERT INTO payable_fine (fine_number, plate_type, plate_number, amount_minor, currency, status, driver_civil_id)
       SELECT n, pt, pn, a, c, 'UNPAID', d FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) AS x(n, pt, pn, a, c, d)
       ON CONFLICT (fine_number) DO NOTHING`,
      [
        f.map((x) => x.fineNumber),
        f.map((x) => x.plateType),
        f.map((x) => x.plateNumber),
        f.map((x) => x.amountMinor),
        f.map((x) => x.currency),
        f.map((x) => x.driverCivilId ?? null),
      ],
    );
  }

  @OnEvents('payment-gateway', EVENTS.fineCancelled)
  async onFinesCancelled(@Payload() events: EventEnvelope<FineCancelled>[]): Promise<void> {
    await this.tx.manager.query(`UPDATE payable_fine SET status = 'CANCELLED' WHERE fine_number = ANY($1::text[]) AND status = 'UNPAID'`, [
      events.map((e) => e.payload.fineNumber),
    ]);
  }

  /** Usually the settlement here has already marked the fine PAID: such rows are left untouched rather than rewritten. */
  @OnEvents('payment-gateway', EVENTS.fineSettled)
  async onFinesSettled(@Payload() events: EventEnvelope<FineSettled>[]): Promise<void> {
    const f = events.map((e) => e.payload);
    await this.tx.manager.query(
      `UPDATE payable_fine p SET status = 'PAID', paid_by_payment = coalesce(p.paid_by_payment, x.payment)
         FROM unnest($1::text[], $2::text[]) AS x(n, payment) WHERE p.fine_number = x.n AND (p.status <> 'PAID' OR p.paid_by_payment IS NULL)`,
      [f.map((x) => x.fineNumber), f.map((x) => x.paymentNumber)],
    );
  }

  @OnEvents('payment-gateway', EVENTS.vehicleRegistered)
  async onVehiclesRegistered(@Payload() events: EventEnvelope<VehicleRegistered>[]): Promise<void> {
    await upsertPlateOwners(
      this.tx.manager,
      events.map((e) => e.payload),
    );
  }

  @OnEvents('payment-gateway', EVENTS.vehicleOwnershipTransferred)
  async onOwnershipTransferred(@Payload() events: EventEnvelope<VehicleOwnershipTransferred>[]): Promise<void> {
    await upsertPlateOwners(
      this.tx.manager,
      events.map((e) => ({ ...e.payload, owner: e.payload.newOwner })),
    );
  }
}
