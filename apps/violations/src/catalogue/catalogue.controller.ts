import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatMinor } from '@app/contracts';
import { InjectTransactionHost, TransactionHost } from '@app/persistence';
import { ViolationTypeView } from '../fines/dto/fine.dto';
import { ViolationType } from './violation-type.entity';

@ApiTags('fines')
@ApiBearerAuth()
@Controller('v1/violation-types')
export class CatalogueController {
  constructor(@InjectTransactionHost('violations') private readonly tx: TransactionHost) {}

  @Get()
  @ApiOperation({ summary: 'The violation catalogue, in Arabic and English, with amounts and points (any role).' })
  @ApiOkResponse({ type: [ViolationTypeView] })
  async list(): Promise<ViolationTypeView[]> {
    const types = await this.tx.manager.find(ViolationType, { where: { active: true }, order: { code: 'ASC' } });
    return types.map((t) => ({
      code: t.code,
      titleAr: t.titleAr,
      titleEn: t.titleEn,
      amount: { amount: formatMinor(t.amountMinor), currency: 'KWD' },
      points: t.points,
    }));
  }
}
