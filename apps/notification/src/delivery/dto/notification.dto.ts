import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NormalizeIdentifier, normalizeMobile } from '@app/contracts';
import { CHANNELS, Channel, DELIVERY_STATUSES, DeliveryStatus } from '../delivery';

/** A mobile number is looked up the way it is stored (+965XXXXXXXX), an email address in lower case. */
const normalizeRecipient = ({ value }: { value: unknown }): unknown =>
  typeof value !== 'string' ? value : value.includes('@') ? value.trim().toLowerCase() : value.includes('://') ? value.trim() : normalizeMobile(value.trim());

export class NotificationsQuery {
  @ApiPropertyOptional({ example: '+96599112233', description: 'A mobile number, an email address or a webhook URL.' })
  @IsOptional()
  @Transform(normalizeRecipient)
  @IsString()
  @Length(1, 2000)
  recipient?: string;

  @ApiPropertyOptional({ example: '2600000000017' }) @IsOptional() @NormalizeIdentifier() @IsString() @Length(1, 20) paymentNumber?: string;
  @ApiPropertyOptional({ example: '26000000042' }) @IsOptional() @NormalizeIdentifier() @IsString() @Length(1, 20) fineNumber?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: DeliveryStatus;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: Channel;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class NotificationView {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty() recipient!: string;
  @ApiProperty({ example: 'fine-issued' }) template!: string;
  @ApiProperty({ enum: ['ar', 'en'] }) language!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true }) nextAttemptAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true }) subject!: string | null;
  @ApiProperty({ description: 'The text sent: the SMS, the email text, or the webhook JSON body.' }) text!: string;
  @ApiPropertyOptional({ nullable: true }) paymentNumber!: string | null;
  @ApiProperty({ type: [String] }) fineNumbers!: string[];
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) sentAt!: string | null;
}

export class NotificationList {
  @ApiProperty({ type: [NotificationView] }) items!: NotificationView[];
}
