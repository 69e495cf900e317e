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

export class PagedInquiryAnswer extends InquiryAnswer {
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() totalItems!: number;
}
