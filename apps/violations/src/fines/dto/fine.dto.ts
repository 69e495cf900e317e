import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsLatitude, IsLongitude, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsCivilId, IsPlateNumber, NormalizeIdentifier, PLATE_TYPES, PlateType } from '@app/contracts';
import { FINE_STATUSES, FineStatus } from '../fine.entity';

export class LocationDto {
  @ApiProperty({ example: 'الدائري السادس، قرب تقاطع الجهراء' }) @IsString() @Length(1, 300) textAr!: string;
  @ApiPropertyOptional({ example: 'Sixth Ring Road, near Jahra interchange' }) @IsOptional() @IsString() @Length(1, 300) textEn?: string;
  @ApiPropertyOptional({ example: 29.3117 }) @IsOptional() @IsLatitude() lat?: number;
  @ApiPropertyOptional({ example: 47.9774 }) @IsOptional() @IsLongitude() lng?: number;
}

export class SourceDto {
  @ApiProperty({ enum: ['CAMERA', 'OFFICER'] }) @IsIn(['CAMERA', 'OFFICER']) type!: 'CAMERA' | 'OFFICER';
  @ApiProperty({ example: 'CAM-0412' }) @IsString() @Length(1, 60) id!: string;
}

export class RecordFineDto {
  @ApiProperty({ example: 'CAM-0412-20261122-000981', description: 'The recording device or officer book reference; recording it again returns the same fine' })
  @IsString()
  @Length(1, 100)
  externalRef!: string;

  @ApiProperty({ example: '123456' }) @NormalizeIdentifier() @IsPlateNumber() plateNumber!: string;
  @ApiProperty({ enum: PLATE_TYPES }) @IsIn(PLATE_TYPES) plateType!: PlateType;
  @ApiProperty({ example: 'RED-LIGHT' }) @IsString() @Length(1, 20) violationCode!: string;
  @ApiProperty({ example: '2026-11-20T18:42:00+03:00' }) @IsISO8601({ strict: true }) occurredAt!: string;
  @ApiProperty({ type: LocationDto }) @ValidateNested() @Type(() => LocationDto) location!: LocationDto;
  @ApiPropertyOptional({ example: '288020122596' }) @IsOptional() @NormalizeIdentifier() @IsCivilId() driverCivilId?: string;
  @ApiProperty({ type: SourceDto }) @ValidateNested() @Type(() => SourceDto) source!: SourceDto;
}

export class CancelFineDto {
  @ApiProperty({ example: 'Duplicate capture by two cameras' }) @IsString() @Length(3, 500) reason!: string;
}

export class FineNumberParams {
  @ApiProperty({ example: '26000000042' }) @NormalizeIdentifier() @IsString() @Length(1, 20) fineNumber!: string;
}

export const STATUS_FILTERS = ['UNPAID', 'PAID', 'ALL'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export function statusesFor(filter: StatusFilter | undefined): FineStatus[] {
  if (filter === 'PAID') return ['PAID'];
  if (filter === 'ALL') return [...FINE_STATUSES];
  return ['UNPAID', 'PAYMENT_PENDING'];
}

export class MoneyView {
  @ApiProperty({ example: '15.000' }) amount!: string;
  @ApiProperty({ example: 'KWD' }) currency!: string;
}

class ViolationView {
  @ApiProperty() code!: string;
  @ApiProperty() titleAr!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty() points!: number;
}

class PlateView {
  @ApiProperty() plateNumber!: string;
  @ApiProperty({ enum: PLATE_TYPES }) plateType!: PlateType;
}

export class FineView {
  @ApiProperty({ example: '26000000042' }) fineNumber!: string;
  @ApiProperty({ enum: FINE_STATUSES }) status!: FineStatus;
  @ApiProperty({ type: ViolationView }) violation!: ViolationView;
  @ApiProperty({ type: PlateView }) plate!: PlateView;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: LocationDto }) location!: { textAr: string; textEn?: string; lat?: number; lng?: number };
  @ApiProperty({ type: MoneyView }) amount!: MoneyView;
  @ApiPropertyOptional() driverCivilId?: string;
  @ApiProperty() issuedAt!: string;
  @ApiPropertyOptional() paidAt?: string;
  @ApiPropertyOptional() paymentNumber?: string;
}

export class ViolationTypeView {
  @ApiProperty({ example: 'RED-LIGHT' }) code!: string;
  @ApiProperty() titleAr!: string;
  @ApiProperty() titleEn!: string;
  @ApiProperty({ type: MoneyView }) amount!: MoneyView;
  @ApiProperty() points!: number;
}
