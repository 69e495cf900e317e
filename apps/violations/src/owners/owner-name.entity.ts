import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OwnerType } from '@app/contracts';

/** Names of persons and companies from the registry's events, for the subject of an inquiry. */
@Entity('owner_name')
export class OwnerName {
  @PrimaryColumn({ type: 'varchar', length: 7 }) ownerType!: OwnerType;
  @PrimaryColumn({ type: 'varchar', length: 12 }) ownerId!: string;
  @Column({ type: 'text' }) nameAr!: string;
  @Column({ type: 'text', nullable: true }) nameEn!: string | null;
}
