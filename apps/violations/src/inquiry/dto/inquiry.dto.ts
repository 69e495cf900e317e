import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CIVIL_ID_RULE, IsCompanyNumber, IsPlateNumber, NormalizeIdentifier, PLATE_NUMBER_RULE, PLATE_TYPES, PlateType, oneOfRule } from '@app/contracts';
import { FieldsCheck } from '@app/platform';
import { FineView, MoneyView, STATUS_FILTERS, StatusFilter } from '../../fines/dto/fine.dto';

export const STATUS_DESCRIPTION = 'UNPAID (default: unpaid and payment pending), PAID or ALL';

export class StatusQuery {
  @ApiPropertyOptional({ enum: STATUS_FILTERS, description: STATUS_DESCRIPTION })
  @IsOptional()
  @IsIn(STATUS_FILTERS)
  status?: StatusFilter;
}

/* The civil-ID and plate inquiries, which drivers call most, check their parameters in the handler with these (see FieldsCheck). */

export interface CivilIdInquiryParams {
  civilId: string;
}

export const CIVIL_ID_PARAMS = new FieldsCheck<CivilIdInquiryParams>({ civilId: { rule: CIVIL_ID_RULE, identifier: true } });

export interface PlateInquiryParams {
  plateType: PlateType;
  plateNumber: string;
}

export const PLATE_PARAMS = new FieldsCheck<PlateInquiryParams>({
  plateType: { rule: oneOfRule(PLATE_TYPES) },
  plateNumber: { rule: PLATE_NUMBER_RULE, identifier: true },
});

/** The status filter of the civil-ID and plate inquiries: StatusQuery's field, checked by STATUS_QUERY. */
export interface StatusFilterQuery {
  status?: StatusFilter;
}

export const STATUS_QUERY = new FieldsCheck<StatusFilterQuery>({ status: { rule: oneOfRule(STATUS_FILTERS), optional: true } });

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
