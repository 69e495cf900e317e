import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from '@app/contracts';

@Entity('company')
export class Company {
  @PrimaryColumn({ type: 'varchar', length: 12 }) companyNo!: string;
  @Column({ type: 'text' }) nameAr!: string;
  @Column({ type: 'text', nullable: true }) nameEn!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) mobile!: string | null;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  @Column({ type: 'varchar', length: 2 }) language!: Language;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
