import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('violation_type')
export class ViolationType {
  @PrimaryColumn({ type: 'varchar', length: 20 }) code!: string;
  @Column({ type: 'text' }) titleAr!: string;
  @Column({ type: 'text' }) titleEn!: string;
  /** Fils. */
  @Column({ type: 'integer' }) amountMinor!: number;
  @Column({ type: 'smallint' }) points!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
}
