import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { OwnerType, PlateType } from '@app/contracts';

@Entity('vehicle')
@Unique('vehicle_plate', ['plateType', 'plateNumber'])
export class Vehicle {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 20 }) plateType!: PlateType;
  @Column({ type: 'varchar', length: 7 }) plateNumber!: string;
  @Column({ type: 'varchar', length: 7 }) ownerType!: OwnerType;
  @Column({ type: 'varchar', length: 12 }) ownerId!: string;
  @Column({ type: 'text' }) make!: string;
  @Column({ type: 'text' }) model!: string;
  @Column({ type: 'smallint' }) year!: number;
  @Column({ type: 'text' }) color!: string;
  @CreateDateColumn({ type: 'timestamptz' }) registeredAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
