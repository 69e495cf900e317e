import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';

export const PAYER_ID_TYPES = ['CIVIL_ID', 'COMPANY_NO'] as const;
export type PayerIdType = (typeof PAYER_ID_TYPES)[number];

export class PaymentPayer {
  @IsIn(PAYER_ID_TYPES) idType!: PayerIdType;
  @IsString() @Length(1, 12) idNumber!: string;
}

export class PaymentItem {
  @IsString() @Length(1, 20) fineNumber!: string;
  @IsInt() @Min(0) amountMinor!: number;
}

/** payments.payment.initiated: these fines are reserved for this payment until it ends. */
export class PaymentInitiated {
  @IsString() @Length(1, 20) paymentNumber!: string;
  @ValidateNested() @Type(() => PaymentPayer) payer!: PaymentPayer;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => PaymentItem) items!: PaymentItem[];
  @IsInt() @Min(0) totalMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() expiresAt!: string;
}

/** payments.payment.succeeded: the bank captured the money; settle these fines. */
export class PaymentSucceeded {
  @IsString() @Length(1, 20) paymentNumber!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => PaymentItem) items!: PaymentItem[];
  @IsInt() @Min(0) totalMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsString() @Length(1, 60) bankCode!: string;
  @IsString() @Length(1, 100) bankReference!: string;
  @IsString() paidAt!: string;
  @ValidateNested() @Type(() => PaymentPayer) payer!: PaymentPayer;
  @IsOptional() @IsString() mobile?: string | null;
  @IsOptional() @IsString() email?: string | null;
  @IsOptional() @IsIn(['ar', 'en']) language?: 'ar' | 'en' | null;
}

/** payments.payment.ended: failed, cancelled or expired; its fines are released. */
export class PaymentEnded {
  @IsString() @Length(1, 20) paymentNumber!: string;
  @IsIn(['FAILED', 'CANCELLED', 'EXPIRED']) outcome!: 'FAILED' | 'CANCELLED' | 'EXPIRED';
  @IsArray() @ValidateNested({ each: true }) @Type(() => PaymentItem) items!: PaymentItem[];
  @ValidateNested() @Type(() => PaymentPayer) payer!: PaymentPayer;
  @IsOptional() @IsString() mobile?: string | null;
  @IsOptional() @IsIn(['ar', 'en']) language?: 'ar' | 'en' | null;
}
