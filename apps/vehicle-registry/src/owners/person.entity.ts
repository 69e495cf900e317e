import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from '@app/contracts';

@Entity('person')
export class Person {
  @PrimaryColumn({ type: 'varchar', length: 12 }) civilId!: string;
  @Column({ type: 'text' }) nameAr!: string;
  @Column({ type: 'text', nullable: true }) nameEn!: string | null;
  @Column({ type: 'varchar', length: 16 }) mobile!: string;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  @Column({ type: 'varchar', length: 2 }) language!: Language;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
