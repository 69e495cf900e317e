import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { ViolationsErrors } from '../violations.errors';
import { CancelFineDto, FineNumberParams, FineView, RecordFineDto } from './dto/fine.dto';
import { mayRead } from './fine-access';
import { toFineView } from './fine-view';
import { FinesService } from './fines.service';

@ApiTags('fines')
@ApiBearerAuth()
@Controller('v1/fines')
export class FinesController {
  constructor(private readonly fines: FinesService) {}

  @Post()
  @Roles('officer')
  @ApiOperation({ summary: 'Record a fine (officer or camera). The same externalRef again answers 200 with the same fine.' })
  @ApiCreatedResponse({ type: FineView })
  @ApiOkResponse({ type: FineView, description: 'Already recorded under this externalRef.' })
  async record(@Body() dto: RecordFineDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<FineView> {
    const { fine, created } = await this.fines.record(dto);
    void reply.status(created ? 201 : 200);
    return toFineView(fine);
  }

  @Post(':fineNumber/cancellation')
  @HttpCode(200)
  @Roles('officer')
  @ApiOperation({ summary: 'Cancel an unpaid fine (officer).' })
  @ApiOkResponse({ type: FineView })
  @ApiConflictResponse({ description: 'The fine is paid or has a payment in progress.' })
  async cancel(@Param() params: FineNumberParams, @Body() dto: CancelFineDto): Promise<FineView> {
    return toFineView(await this.fines.cancel(params.fineNumber, dto.reason));
  }

  @Get(':fineNumber')
  @ApiOperation({ summary: 'One fine, for whoever it concerns: the plate owner, the driver, officers, clerks, admins.' })
  @ApiOkResponse({ type: FineView })
  async get(@Param() params: FineNumberParams, @CurrentPrincipal() principal: Principal): Promise<FineView> {
    const fine = await this.fines.findWithOwner(params.fineNumber);
    if (!fine) throw ViolationsErrors.fineNotFound(params.fineNumber);
    if (!mayRead(fine, principal)) throw ViolationsErrors.outOfScope();
    return toFineView(fine);
  }
}
