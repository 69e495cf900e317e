import { Controller, Get, Headers, Param, Query, Req, StreamableFile, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PLATE_TYPES } from '@app/contracts';
import { AuthenticatedRequest, CurrentPrincipal, Principal, Roles } from '@app/platform';
import { STATUS_FILTERS, statusesFor } from '../fines/dto/fine.dto';
import { ownerOf, sameOwner } from '../ownership/ownership-read-model.service';
import { ViolationsErrors } from '../violations.errors';
import {
  CIVIL_ID_PARAMS,
  CompanyInquiryParams,
  CompanyInquiryQuery,
  InquiryAnswer,
  PLATE_PARAMS,
  PagedInquiryAnswer,
  STATUS_DESCRIPTION,
  STATUS_QUERY,
} from './dto/inquiry.dto';
import { InquiryService } from './inquiry.service';

/**
 * The path parameters a FieldsCheck checks, and the status filter, in the OpenAPI document, where
 * a DTO would have described them. In the order given (stacked decorators would list them bottom up).
 */
function documentParameters(...path: Parameters<typeof ApiParam>[0][]) {
  const status = ApiQuery({ name: 'status', required: false, type: String, enum: STATUS_FILTERS, description: STATUS_DESCRIPTION });
  return applyDecorators(...path.map((parameter) => ApiParam({ type: String, ...parameter })), status);
}

@ApiTags('inquiry')
@ApiBearerAuth()
@Controller('v1/inquiry')
export class InquiryController {
  constructor(private readonly inquiry: InquiryService) {}

  @Get('civil-id/:civilId')
  @Roles('driver')
  @ApiOperation({ summary: 'Fines of the plates a person owns and fines where the person was the driver (the driver themself, admin).' })
  @documentParameters({ name: 'civilId', example: '288020122596' })
  @ApiOkResponse({ type: InquiryAnswer })
  // The request alone, its parameters checked here: no @Param() or @Query() on the routes drivers call most (see FieldsCheck).
  async byCivilId(@Req() request: AuthenticatedRequest): Promise<InquiryAnswer> {
    const { civilId } = CIVIL_ID_PARAMS.check(request.params);
    const { status } = STATUS_QUERY.check(request.query);
    if (request.principal.role === 'driver' && request.principal.civilId !== civilId) throw ViolationsErrors.outOfScope();
    return this.inquiry.byCivilId(civilId, statusesFor(status));
  }

  @Get('plate/:plateType/:plateNumber')
  @Roles('driver', 'fleet')
  @ApiOperation({ summary: "Fines of one plate (its owner's driver or fleet token, admin)." })
  @documentParameters({ name: 'plateType', enum: PLATE_TYPES }, { name: 'plateNumber', example: '123456' })
  @ApiOkResponse({ type: InquiryAnswer })
  async byPlate(@Req() request: AuthenticatedRequest): Promise<InquiryAnswer> {
    const { plateType, plateNumber } = PLATE_PARAMS.check(request.params);
    const { status } = STATUS_QUERY.check(request.query);
    const { principal } = request;
    const reader = principal.role === 'admin' ? undefined : ownerOf(principal);
    if (principal.role !== 'admin' && !reader) throw ViolationsErrors.outOfScope();
    const { owner, answer } = await this.inquiry.byPlate(plateType, plateNumber, statusesFor(status), reader);
    if (reader && !sameOwner(reader, owner)) throw ViolationsErrors.outOfScope();
    return answer;
  }

  @Get('company/:companyNo')
  @Roles('fleet')
  @ApiOperation({
    summary: "A company's fines, paged (its fleet token, admin). `Accept: text/csv` streams every matching fine as CSV instead.",
    description:
      "Fines are in plate order (plate type, plate number), each plate's newest first, in JSON pages and in the CSV alike. A page's `vehicles` are the " +
      'vehicles of the fines on that page; `totals`, `totalItems` and `vehiclesTotal` cover every matching fine.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PagedInquiryAnswer })
  async byCompany(
    @Param() params: CompanyInquiryParams,
    @Query() query: CompanyInquiryQuery,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
  ): Promise<PagedInquiryAnswer | StreamableFile> {
    if (principal.role === 'fleet' && principal.companyNo !== params.companyNo) throw ViolationsErrors.outOfScope();
    const statuses = statusesFor(query.status);
    if (accept?.includes('text/csv')) {
      const stream = this.inquiry.companyCsv(params.companyNo, statuses, query.plateNumber);
      return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="fines-${params.companyNo}.csv"` });
    }
    return this.inquiry.byCompany(params.companyNo, statuses, query.page ?? 1, query.pageSize ?? 50, query.plateNumber);
  }
}
