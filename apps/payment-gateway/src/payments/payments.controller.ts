import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { PaymentsErrors } from '../payments.errors';
import { CreatePaymentDto, PaymentNumberParams, PaymentView } from './dto/payment.dto';
import { PaymentsService, paymentView } from './payments.service';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @Roles('driver', 'fleet')
  @ApiOperation({ summary: 'Pay selected fines: reserves them, answers the payment number and the bank page. Idempotency-Key required.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'The same key and body replay the first answer; the same key with another body is refused (422).',
  })
  @ApiCreatedResponse({ type: PaymentView })
  @ApiConflictResponse({ description: 'Some fines are not payable; each is named with its reason.' })
  async create(
    @Body() dto: CreatePaymentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentView> {
    if (!idempotencyKey || idempotencyKey.length > 200) throw PaymentsErrors.idempotencyKeyRequired();
    const { status, body } = await this.payments.create(principal, idempotencyKey, dto);
    void reply.status(status);
    return body;
  }

  @Get(':paymentNumber')
  @Roles('driver', 'fleet')
  @ApiOperation({ summary: 'A payment, for its payer or an admin.' })
  @ApiOkResponse({ type: PaymentView })
  async get(@Param() params: PaymentNumberParams, @CurrentPrincipal() principal: Principal): Promise<PaymentView> {
    const found = await this.payments.find(params.paymentNumber);
    if (!found) throw PaymentsErrors.paymentNotFound(params.paymentNumber);
    const { payment, items } = found;
    const isPayer =
      principal.role === 'admin' ||
      (principal.role === 'driver' && payment.payer_type === 'CIVIL_ID' && payment.payer_id === principal.civilId) ||
      (principal.role === 'fleet' && payment.payer_type === 'COMPANY_NO' && payment.payer_id === principal.companyNo);
    if (!isPayer) throw PaymentsErrors.outOfScope();
    return paymentView(payment, items);
  }
}
