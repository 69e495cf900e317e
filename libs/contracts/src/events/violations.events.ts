import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { PLATE_TYPES, PlateType } from '../identifiers';
import { IsPlateNumber } from '../validators';

export class FineViolation {
  @IsString() @Length(1, 20) code!: string;
  @IsString() titleAr!: string;
  @IsString() titleEn!: string;
  @IsInt() @Min(0) points!: number;
}

export class FineLocation {
  @IsString() textAr!: string;
  @IsOptional() @IsString() textEn?: string | null;
}

/** violations.fine.issued: a fine was recorded on a plate. Money in integer minor units. */
export class FineIssued {
  @IsString() @Length(1, 20) fineNumber!: string;
  @IsIn(PLATE_TYPES) plateType!: PlateType;
  @IsPlateNumber() plateNumber!: string;
  @ValidateNested() @Type(() => FineViolation) violation!: FineViolation;
  @IsInt() @Min(0) amountMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() occurredAt!: string;
  @ValidateNested() @Type(() => FineLocation) location!: FineLocation;
  @IsOptional() @IsString() driverCivilId?: string | null;
  /** Part of a seeded data set (the demo data), not a fine just recorded: nobody is alerted of it. */
  @IsOptional() @IsBoolean() seeded?: boolean;
}

/** violations.fine.cancelled: a fine no longer stands. */
export class FineCancelled {
  @IsString() @Length(1, 20) fineNumber!: string;
  @IsIn(PLATE_TYPES) plateType!: PlateType;
  @IsPlateNumber() plateNumber!: string;
  @IsInt() @Min(0) amountMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() reason!: string;
  /** Part of a seeded data set (the demo data): nobody is told of it. */
  @IsOptional() @IsBoolean() seeded?: boolean;
}

/** violations.fine.settled: a fine was paid; it no longer counts as outstanding anywhere. */
export class FineSettled {
  @IsString() @Length(1, 20) fineNumber!: string;
  @IsIn(PLATE_TYPES) plateType!: PlateType;
  @IsPlateNumber() plateNumber!: string;
  @IsInt() @Min(0) amountMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() @Length(1, 40) paymentNumber!: string;
  @IsString() paidAt!: string;
}
