import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, Length } from 'class-validator';
import { IsCompanyNumber, NormalizeIdentifier } from '@app/contracts';

export class CompanyNoParams {
  @ApiProperty({ example: '100001' }) @NormalizeIdentifier() @IsCompanyNumber() companyNo!: string;
}

export class PutWebhookDto {
  @ApiProperty({ example: 'https://fleet.example.kw/hooks/fines', description: 'HTTPS; outside production http://127.0.0.1 and http://localhost too.' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @Length(1, 2000)
  url!: string;

  @ApiProperty({
    example: 'a-long-random-secret-shared-with-the-fleet-system',
    minLength: 16,
    maxLength: 200,
    description: 'Keys the X-Signature HMAC; never shown again.',
  })
  @IsString()
  @Length(16, 200)
  secret!: string;
}

export class WebhookView {
  @ApiProperty() companyNo!: string;
  @ApiProperty() url!: string;
  @ApiProperty() updatedAt!: string;
}
