import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsOwnerId, IsPlateNumber, NormalizeIdentifier, OWNER_TYPES, OwnerType, PLATE_TYPES, PlateType } from '@app/contracts';

export class OwnerRefDto {
  @ApiProperty({ enum: OWNER_TYPES, example: 'PERSON' })
  @IsIn(OWNER_TYPES)
  type!: OwnerType;

  @ApiProperty({ example: '288020122596', description: 'civil ID of a person or number of a company' })
  @NormalizeIdentifier()
  @IsOwnerId()
  id!: string;
}

export class CreateVehicleDto {
  @ApiProperty({ example: '123456', description: 'up to 7 digits; Arabic-Indic digits, spaces and dashes accepted' })
  @NormalizeIdentifier()
  @IsPlateNumber()
  plateNumber!: string;

  @ApiProperty({ enum: PLATE_TYPES, example: 'PRIVATE' })
  @IsIn(PLATE_TYPES)
  plateType!: PlateType;

  @ApiProperty({ type: OwnerRefDto })
  @ValidateNested()
  @Type(() => OwnerRefDto)
  owner!: OwnerRefDto;

  @ApiProperty({ example: 'Toyota' }) @IsString() @Length(1, 60) make!: string;
  @ApiProperty({ example: 'Land Cruiser' }) @IsString() @Length(1, 60) model!: string;
  @ApiProperty({ example: 2022 }) @IsInt() @Min(1950) @Max(2100) year!: number;
  @ApiProperty({ example: 'White' }) @IsString() @Length(1, 40) color!: string;
}

export class TransferDto {
  @ApiProperty({ type: OwnerRefDto })
  @ValidateNested()
  @Type(() => OwnerRefDto)
  newOwner!: OwnerRefDto;
}

export class PlateParams {
  @ApiProperty({ enum: PLATE_TYPES }) @IsIn(PLATE_TYPES) plateType!: PlateType;
  @ApiProperty({ example: '123456' }) @NormalizeIdentifier() @IsPlateNumber() plateNumber!: string;
}

export class VehicleQuery {
  @ApiProperty({ enum: OWNER_TYPES }) @IsIn(OWNER_TYPES) ownerType!: OwnerType;
  @ApiProperty({ example: '288020122596' }) @NormalizeIdentifier() @IsOwnerId('ownerType') ownerId!: string;
}

export class VehicleView {
  @ApiProperty() plateNumber!: string;
  @ApiProperty({ enum: PLATE_TYPES }) plateType!: PlateType;
  @ApiProperty({ type: OwnerRefDto }) owner!: { type: OwnerType; id: string };
  @ApiProperty() make!: string;
  @ApiProperty() model!: string;
  @ApiProperty() year!: number;
  @ApiProperty() color!: string;
  @ApiProperty() registeredAt!: string;
}
