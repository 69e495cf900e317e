import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { LANGUAGES, Language, OWNER_TYPES, OwnerType, PLATE_TYPES, PlateType } from '../identifiers';
import { IsPlateNumber } from '../validators';

export class OwnerRef {
  @IsIn(OWNER_TYPES) type!: OwnerType;
  @IsString() @Length(1, 12) id!: string;
}

export class ContactDetails {
  @IsOptional() @IsString() mobile?: string | null;
  @IsOptional() @IsString() email?: string | null;
  @IsIn(LANGUAGES) language!: Language;
}

/** registry.owner.registered: a person (by civil ID) or a company (by company number) is on record. */
export class OwnerRegistered {
  @ValidateNested() @Type(() => OwnerRef) owner!: OwnerRef;
  @IsString() @Length(1, 200) nameAr!: string;
  @IsOptional() @IsString() nameEn?: string | null;
  @ValidateNested() @Type(() => ContactDetails) contact!: ContactDetails;
}

/** registry.owner.contact-updated: the full, current contact details of an owner. */
export class OwnerContactUpdated {
  @ValidateNested() @Type(() => OwnerRef) owner!: OwnerRef;
  @ValidateNested() @Type(() => ContactDetails) contact!: ContactDetails;
}

export class VehicleDetails {
  @IsString() @Length(1, 60) make!: string;
  @IsString() @Length(1, 60) model!: string;
  @IsInt() @Min(1900) @Max(2100) year!: number;
  @IsString() @Length(1, 40) color!: string;
}

/** registry.vehicle.registered */
export class VehicleRegistered {
  @IsIn(PLATE_TYPES) plateType!: PlateType;
  @IsPlateNumber() plateNumber!: string;
  @ValidateNested() @Type(() => OwnerRef) owner!: OwnerRef;
  @ValidateNested() @Type(() => VehicleDetails) vehicle!: VehicleDetails;
}

/** registry.vehicle.ownership-transferred */
export class VehicleOwnershipTransferred {
  @IsIn(PLATE_TYPES) plateType!: PlateType;
  @IsPlateNumber() plateNumber!: string;
  @ValidateNested() @Type(() => OwnerRef) previousOwner!: OwnerRef;
  @ValidateNested() @Type(() => OwnerRef) newOwner!: OwnerRef;
  @IsString() transferredAt!: string;
}
