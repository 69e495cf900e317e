import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PLATFORM_CONFIG, PlatformConfig, Public, Roles } from '@app/platform';
import { SinkMessage, SmtpSink } from './smtp-sink';

export interface SimulatedSms {
  receivedAt: string;
  request: unknown;
}

const KEEP = 1000;

/**
 * The SMS provider simulator and a window on the SMTP sink (development and the embedded default;
 * absent in production). The SMS adapter posts here unless SMS_PROVIDER_URL says otherwise.
 */
@ApiExcludeController()
@Controller()
export class SimulatorsController {
  private readonly sms: SimulatedSms[] = [];

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly sink: SmtpSink,
  ) {}

  private available(): void {
    if (this.config.app.NODE_ENV === 'production') throw new NotFoundException();
  }

  @Public()
  @Post('sms-sim/messages')
  @HttpCode(202)
  receive(@Body() body: unknown): { status: 'queued'; id: number } {
    this.available();
    this.sms.push({ receivedAt: new Date().toISOString(), request: body });
    if (this.sms.length > KEEP) this.sms.splice(0, this.sms.length - KEEP);
    return { status: 'queued', id: this.sms.length };
  }

  @Roles('admin')
  @Get('sms-sim/messages')
  smsReceived(): SimulatedSms[] {
    this.available();
    return [...this.sms].reverse();
  }

  @Roles('admin')
  @Get('smtp-sink/messages')
  emailReceived(): SinkMessage[] {
    this.available();
    return [...this.sink.messages].reverse();
  }
}
