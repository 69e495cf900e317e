import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCivilId, IsCompanyNumber, IsKuwaitMobile, LANGUAGES, Language, NormalizeIdentifier, NormalizeMobile } from '@app/contracts';

export class CreatePersonDto {
  @ApiProperty({ example: '288020122596', description: '12 digits with a valid check digit; Arabic-Indic digits, spaces and dashes accepted' })
  @NormalizeIdentifier()
  @IsCivilId()
  civilId!: string;

  @ApiProperty({ example: 'محمد عبدالله الكندري' })
  @IsString()
  @Length(1, 200)
  nameAr!: string;

  @ApiPropertyOptional({ example: 'Mohammad Abdullah Al-Kandari' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string;

  @ApiProperty({ example: '+96599001122', description: 'Kuwait mobile; stored as +965XXXXXXXX' })
  @NormalizeMobile()
  @IsKuwaitMobile()
  mobile!: string;

  @ApiPropertyOptional({ example: 'm.alkandari@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiProperty({ enum: LANGUAGES, example: 'ar' })
  @IsIn(LANGUAGES)
  language!: Language;
}

export class UpdateContactDto {
  @ApiPropertyOptional({ example: '+96566001122' })
  @IsOptional()
  @NormalizeMobile()
  @IsKuwaitMobile()
  mobile?: string;

  @ApiPropertyOptional({ example: 'new@example.com' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

export class CreateCompanyDto {
  @ApiProperty({ example: '100234', description: 'Company number: digits' })
  @NormalizeIdentifier()
  @IsCompanyNumber()
  companyNo!: string;

  @ApiProperty({ example: 'شركة الخليج للنقل' })
  @IsString()
  @Length(1, 200)
  nameAr!: string;

  @ApiPropertyOptional({ example: 'Gulf Transport Co.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  nameEn?: string;

  @ApiPropertyOptional({ example: '+96522001122' })
  @IsOptional()
  @NormalizeMobile()
  @IsKuwaitMobile()
  mobile?: string;

  @ApiPropertyOptional({ example: 'fleet@gulf-transport.example' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiProperty({ enum: LANGUAGES, example: 'ar' })
  @IsIn(LANGUAGES)
  language!: Language;
}

export class CivilIdParams {
  @ApiProperty({ example: '288020122596' })
  @NormalizeIdentifier()
  @IsCivilId()
  civilId!: string;
}

export class PersonView {
  @ApiProperty() civilId!: string;
  @ApiProperty() nameAr!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nameEn!: string | null;
  @ApiProperty() mobile!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CompanyView {
  @ApiProperty() companyNo!: string;
  @ApiProperty() nameAr!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nameEn!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) mobile!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: LANGUAGES }) language!: Language;
  @ApiProperty() createdAt!: string;
}
