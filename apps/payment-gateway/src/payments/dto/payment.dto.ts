import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, ValidateNested } from 'class-validator';
import { IsKuwaitMobile, LANGUAGES, Language, NormalizeIdentifier, NormalizeMobile, PAYER_ID_TYPES, PayerIdType, normalizeIdentifier } from '@app/contracts';

export class PayerDto {
  @ApiProperty({ enum: PAYER_ID_TYPES }) @IsIn(PAYER_ID_TYPES) idType!: PayerIdType;
  @ApiProperty({ example: '288020122596' }) @NormalizeIdentifier() @IsString() @Length(1, 12) idNumber!: string;
}

export class CreatePaymentDto {
  @ApiProperty({ type: [String], example: ['26000000042'], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Transform(({ value }: { value: unknown }): unknown =>
    Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? normalizeIdentifier(v) : v)) : value,
  )
  fineNumbers!: string[];

  @ApiProperty({ type: PayerDto }) @ValidateNested() @Type(() => PayerDto) payer!: PayerDto;
  @ApiProperty({ example: '+96599001122' }) @NormalizeMobile() @IsKuwaitMobile() mobile!: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) language?: Language;
  @ApiPropertyOptional({ example: 'https://portal.example/payments/done' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  returnUrl?: string;
}

export class PaymentNumberParams {
  @ApiProperty({ example: '2600000000017' }) @NormalizeIdentifier() @IsString() @Length(1, 20) paymentNumber!: string;
}

class MoneyView {
  @ApiProperty({ example: '15.000' }) amount!: string;
  @ApiProperty({ example: 'KWD' }) currency!: string;
}

export class PaymentItemView {
  @ApiProperty() fineNumber!: string;
  @ApiProperty({ type: MoneyView }) amount!: MoneyView;
}

export class PaymentView {
  @ApiProperty() paymentNumber!: string;
  @ApiProperty({ enum: ['PENDING', 'PAID', 'FAILED', 'CANCELLED', 'EXPIRED', 'REFUND_REQUIRED'] }) status!: string;
  @ApiProperty({ type: MoneyView }) total!: MoneyView;
  @ApiProperty({ type: [PaymentItemView] }) items!: PaymentItemView[];
  @ApiPropertyOptional() bankReference?: string;
  @ApiPropertyOptional() paidAt?: string;
  @ApiPropertyOptional() bankRedirectUrl?: string;
  @ApiPropertyOptional() expiresAt?: string;
}
