import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { NotificationErrors } from '../notification.errors';
import { CompanyNoParams, PutWebhookDto, WebhookView } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/companies/:companyNo/webhook')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  private inScope(principal: Principal, companyNo: string): void {
    if (principal.role !== 'admin' && principal.companyNo !== companyNo) throw NotificationErrors.outOfScope();
  }

  @Put()
  @Roles('fleet')
  @ApiOperation({ summary: "Subscribe the company's fleet system to new fines on its plates: each is POSTed signed with X-Signature (t=...,v1=...)." })
  @ApiOkResponse({ type: WebhookView })
  async put(@Param() params: CompanyNoParams, @Body() dto: PutWebhookDto, @CurrentPrincipal() principal: Principal): Promise<WebhookView> {
    this.inScope(principal, params.companyNo);
    return this.webhooks.put(params.companyNo, dto.url, dto.secret);
  }

  @Get()
  @Roles('fleet')
  @ApiOperation({ summary: "The company's webhook URL (never the secret)." })
  @ApiOkResponse({ type: WebhookView })
  async get(@Param() params: CompanyNoParams, @CurrentPrincipal() principal: Principal): Promise<WebhookView> {
    this.inScope(principal, params.companyNo);
    return this.webhooks.get(params.companyNo);
  }

  @Delete()
  @Roles('fleet')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove the company's webhook; posts still pending for it are not sent." })
  @ApiNoContentResponse()
  async remove(@Param() params: CompanyNoParams, @CurrentPrincipal() principal: Principal): Promise<void> {
    this.inScope(principal, params.companyNo);
    await this.webhooks.remove(params.companyNo);
  }
}
