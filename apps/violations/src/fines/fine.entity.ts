import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlateType } from '@app/contracts';

export const FINE_STATUSES = ['UNPAID', 'PAYMENT_PENDING', 'PAID', 'CANCELLED'] as const;
export type FineStatus = (typeof FINE_STATUSES)[number];

@Entity('fine')
export class Fine {
  @PrimaryColumn({ type: 'varchar', length: 20 }) fineNumber!: string;
  @Column({ type: 'text' }) externalRef!: string;
  @Column({ type: 'varchar', length: 20 }) plateType!: PlateType;
  @Column({ type: 'varchar', length: 7 }) plateNumber!: string;
  @Column({ type: 'varchar', length: 20 }) violationCode!: string;
  /** Fils, fixed when the fine is issued. */
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 16 }) status!: FineStatus;
  @Column({ type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'text' }) locationAr!: string;
  @Column({ type: 'text', nullable: true }) locationEn!: string | null;
  @Column({ type: 'double precision', nullable: true }) lat!: number | null;
  @Column({ type: 'double precision', nullable: true }) lng!: number | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) driverCivilId!: string | null;
  @Column({ type: 'varchar', length: 10 }) sourceType!: 'CAMERA' | 'OFFICER';
  @Column({ type: 'text' }) sourceId!: string;
  @Column({ type: 'timestamptz' }) issuedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) paidAt!: Date | null;
  @Column({ type: 'text', nullable: true }) paymentNumber!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @Column({ type: 'text', nullable: true }) cancellationReason!: string | null;
}
