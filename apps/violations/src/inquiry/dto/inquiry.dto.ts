import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCivilId, IsCompanyNumber, IsPlateNumber, NormalizeIdentifier, PLATE_TYPES, PlateType } from '@app/contracts';
import { FineView, MoneyView, STATUS_FILTERS, StatusFilter } from '../../fines/dto/fine.dto';

export class StatusQuery {
  @ApiPropertyOptional({ enum: STATUS_FILTERS, description: 'UNPAID (default: unpaid and payment pending), PAID or ALL' })
  @IsOptional()
  @IsIn(STATUS_FILTERS)
  status?: StatusFilter;
}

export class CivilIdInquiryParams {
  @ApiProperty({ example: '288020122596' }) @NormalizeIdentifier() @IsCivilId() civilId!: string;
}

export class PlateInquiryParams {
  @ApiProperty({ enum: PLATE_TYPES }) @IsIn(PLATE_TYPES) plateType!: PlateType;
  @ApiProperty({ example: '123456' }) @NormalizeIdentifier() @IsPlateNumber() plateNumber!: string;
}

export class CompanyInquiryParams {
  @ApiProperty({ example: '100234' }) @NormalizeIdentifier() @IsCompanyNumber() companyNo!: string;
}

export const MAX_PAGE_SIZE = 500;

export class CompanyInquiryQuery extends StatusQuery {
  @ApiPropertyOptional({ example: '123456' }) @IsOptional() @NormalizeIdentifier() @IsPlateNumber() plateNumber?: string;
  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}

export class InquiryVehicle {
  @ApiProperty() plateNumber!: string;
  @ApiProperty({ enum: PLATE_TYPES }) plateType!: PlateType;
  @ApiPropertyOptional({ nullable: true, type: String }) make!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) model!: string | null;
  @ApiProperty() fineCount!: number;
  @ApiProperty({ type: MoneyView }) outstanding!: MoneyView;
}

export class InquirySubject {
  @ApiProperty({ enum: ['PERSON', 'COMPANY', 'PLATE'] }) type!: 'PERSON' | 'COMPANY' | 'PLATE';
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nameAr?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) nameEn?: string | null;
}

export class InquiryTotals {
  @ApiProperty() count!: number;
  @ApiProperty({ type: MoneyView }) outstanding!: MoneyView;
}

export class InquiryAnswer {
  @ApiProperty({ type: InquirySubject }) subject!: InquirySubject;
  @ApiProperty({ type: [InquiryVehicle] }) vehicles!: InquiryVehicle[];
  @ApiProperty({ type: [FineView] }) fines!: FineView[];
  @ApiProperty({ type: InquiryTotals }) totals!: InquiryTotals;
}

/**
 * A page of a company's fines. The fines are in plate order (plate type, plate number), each
 * plate's newest first; `vehicles` lists the vehicles of the fines on this page, and `totals`,
 * `totalItems` and `vehiclesTotal` count every matching fine.
 */
export class PagedInquiryAnswer {
  @ApiProperty({ type: InquirySubject }) subject!: InquirySubject;

  @ApiProperty({
    type: [InquiryVehicle],
    description:
      'The vehicles of the fines on this page, in plate order, each with its count and outstanding amount over all its matching fines (not only those on the page).',
  })
  vehicles!: InquiryVehicle[];

  @ApiProperty({ type: [FineView], description: "This page of the matching fines, in plate order (plate type, plate number), each plate's newest first." })
  fines!: FineView[];

  @ApiProperty({ type: InquiryTotals, description: 'Count and outstanding amount of every matching fine of the company, on every page.' })
  totals!: InquiryTotals;

  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Matching fines on every page (equals totals.count).' }) totalItems!: number;
  @ApiProperty({ description: 'Vehicles with at least one matching fine, on every page.' }) vehiclesTotal!: number;
}
