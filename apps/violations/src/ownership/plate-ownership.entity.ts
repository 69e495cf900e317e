import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OwnerType, PlateType } from '@app/contracts';

/** Who owns each plate, as the registry's events tell it: the read model inquiries are answered from. */
@Entity('plate_ownership')
export class PlateOwnership {
  @PrimaryColumn({ type: 'varchar', length: 20 }) plateType!: PlateType;
  @PrimaryColumn({ type: 'varchar', length: 7 }) plateNumber!: string;
  @Column({ type: 'varchar', length: 7 }) ownerType!: OwnerType;
  @Column({ type: 'varchar', length: 12 }) ownerId!: string;
  @Column({ type: 'text' }) make!: string;
  @Column({ type: 'text' }) model!: string;
  @Column({ type: 'smallint' }) year!: number;
  @Column({ type: 'text' }) color!: string;
  @Column({ type: 'timestamptz' }) ownedSince!: Date;
  @Column({ type: 'uuid' }) lastEventId!: string;
}

/** Every ownership change the read model applied, one row per event. */
@Entity('plate_ownership_change')
export class PlateOwnershipChange {
  @PrimaryColumn({ type: 'uuid' }) eventId!: string;
  @Column({ type: 'varchar', length: 20 }) plateType!: PlateType;
  @Column({ type: 'varchar', length: 7 }) plateNumber!: string;
  @Column({ type: 'varchar', length: 7 }) ownerType!: OwnerType;
  @Column({ type: 'varchar', length: 12 }) ownerId!: string;
  @Column({ type: 'timestamptz' }) effectiveAt!: Date;
}
