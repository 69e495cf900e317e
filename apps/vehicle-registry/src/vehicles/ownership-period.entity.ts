import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OwnerType } from '@app/contracts';

/** Who owned a vehicle when: one row per owner, the current one with `endedAt` null. */
@Entity('ownership_period')
export class OwnershipPeriod {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ type: 'uuid' }) vehicleId!: string;
  @Column({ type: 'varchar', length: 7 }) ownerType!: OwnerType;
  @Column({ type: 'varchar', length: 12 }) ownerId!: string;
  @Column({ type: 'timestamptz' }) startedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
