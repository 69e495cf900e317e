import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, Roles } from '@app/platform';
import { ReconciliationReport, ReconciliationService } from './reconciliation.service';

const reportNotFound = () =>
  new DomainError(
    'payments.report-not-found',
    404,
    { ar: 'التقرير غير موجود', en: 'Report not found' },
    { ar: 'لا يوجد تقرير تسوية بهذا المعرّف.', en: 'No reconciliation report has this id.' },
  );

@ApiTags('reconciliation')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Post(':bankCode')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reconcile a bank's end-of-day settlement file (text/csv: bank reference, payment number, amount, currency, time) and store the report (admin).",
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'bankReference,paymentNumber,amount,currency,time\nSIM0A1B2C,2600000000001,60.000,KWD,2026-11-22T07:09:53Z' } })
  reconcile(@Param('bankCode') bankCode: string, @Body() csv: unknown): Promise<ReconciliationReport> {
    return this.reconciliation.reconcile(bankCode, typeof csv === 'string' ? csv : '');
  }

  @Get(':bankCode/:reportId')
  @ApiOperation({ summary: 'A stored reconciliation report (admin).' })
  async get(@Param('bankCode') bankCode: string, @Param('reportId') reportId: string): Promise<ReconciliationReport> {
    const report = await this.reconciliation.find(bankCode, reportId);
    if (!report) throw reportNotFound();
    return report;
  }
}
