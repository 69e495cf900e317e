import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlateType } from '@app/contracts';

/** A fine that still has to be paid, as violations' events tell it: what holds a transfer back. */
@Entity('outstanding_fine')
export class OutstandingFine {
  @PrimaryColumn({ type: 'varchar', length: 20 }) fineNumber!: string;
  @Column({ type: 'varchar', length: 20 }) plateType!: PlateType;
  @Column({ type: 'varchar', length: 7 }) plateNumber!: string;
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
}
