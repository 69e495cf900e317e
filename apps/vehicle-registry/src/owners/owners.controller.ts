import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { RegistryErrors } from '../registry.errors';
import { Company } from './company.entity';
import { CivilIdParams, CompanyView, CreateCompanyDto, CreatePersonDto, PersonView, UpdateContactDto } from './dto/owner.dto';
import { OwnersService } from './owners.service';
import { Person } from './person.entity';

function personView(p: Person): PersonView {
  return {
    civilId: p.civilId,
    nameAr: p.nameAr,
    nameEn: p.nameEn,
    mobile: p.mobile,
    email: p.email,
    language: p.language,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function companyView(c: Company): CompanyView {
  return {
    companyNo: c.companyNo,
    nameAr: c.nameAr,
    nameEn: c.nameEn,
    mobile: c.mobile,
    email: c.email,
    language: c.language,
    createdAt: c.createdAt.toISOString(),
  };
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('v1')
export class OwnersController {
  constructor(private readonly owners: OwnersService) {}

  @Post('persons')
  @Roles('clerk')
  @ApiOperation({ summary: 'Register a person (clerk).' })
  @ApiCreatedResponse({ type: PersonView })
  @ApiConflictResponse({ description: 'The civil ID is already registered.' })
  async registerPerson(@Body() dto: CreatePersonDto): Promise<PersonView> {
    return personView(await this.owners.registerPerson(dto));
  }

  @Patch('persons/:civilId/contact')
  @HttpCode(200)
  @Roles('clerk', 'driver')
  @ApiOperation({ summary: "Update a person's mobile, email or language (clerk, or the driver themself)." })
  @ApiOkResponse({ type: PersonView })
  async updateContact(@Param() params: CivilIdParams, @Body() dto: UpdateContactDto, @CurrentPrincipal() principal: Principal): Promise<PersonView> {
    if (principal.role === 'driver' && principal.civilId !== params.civilId) throw RegistryErrors.outOfScope();
    return personView(await this.owners.updatePersonContact(params.civilId, dto));
  }

  @Post('companies')
  @Roles('clerk')
  @ApiOperation({ summary: 'Register a company (clerk).' })
  @ApiCreatedResponse({ type: CompanyView })
  @ApiConflictResponse({ description: 'The company number is already registered.' })
  async registerCompany(@Body() dto: CreateCompanyDto): Promise<CompanyView> {
    return companyView(await this.owners.registerCompany(dto));
  }
}
