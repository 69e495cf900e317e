import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/platform';
import { RegistryErrors } from '../registry.errors';
import { CreateVehicleDto, PlateParams, TransferDto, VehicleQuery, VehicleView } from './dto/vehicle.dto';
import { Vehicle } from './vehicle.entity';
import { VehiclesService } from './vehicles.service';

function vehicleView(v: Vehicle): VehicleView {
  return {
    plateNumber: v.plateNumber,
    plateType: v.plateType,
    owner: { type: v.ownerType, id: v.ownerId },
    make: v.make,
    model: v.model,
    year: v.year,
    color: v.color,
    registeredAt: v.registeredAt.toISOString(),
  };
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('v1/vehicles')
export class VehiclesController {
  constructor(private readonly vehicles: VehiclesService) {}

  @Post()
  @Roles('clerk')
  @ApiOperation({ summary: 'Register a vehicle to a registered person or company (clerk).' })
  @ApiCreatedResponse({ type: VehicleView })
  async register(@Body() dto: CreateVehicleDto): Promise<VehicleView> {
    return vehicleView(await this.vehicles.register(dto));
  }

  @Post(':plateType/:plateNumber/transfers')
  @HttpCode(200)
  @Roles('clerk')
  @ApiOperation({ summary: 'Transfer a vehicle to a new owner (clerk).' })
  @ApiOkResponse({ type: VehicleView })
  async transfer(@Param() params: PlateParams, @Body() dto: TransferDto): Promise<VehicleView> {
    return vehicleView(await this.vehicles.transfer(params.plateType, params.plateNumber, dto.newOwner));
  }

  @Get()
  @Roles('clerk', 'driver', 'fleet')
  @ApiOperation({ summary: "An owner's vehicles (clerk; a driver their own; a fleet its company's)." })
  @ApiOkResponse({ type: [VehicleView] })
  async list(@Query() query: VehicleQuery, @CurrentPrincipal() principal: Principal): Promise<VehicleView[]> {
    const ownsIt =
      (principal.role === 'driver' && query.ownerType === 'PERSON' && principal.civilId === query.ownerId) ||
      (principal.role === 'fleet' && query.ownerType === 'COMPANY' && principal.companyNo === query.ownerId);
    if ((principal.role === 'driver' || principal.role === 'fleet') && !ownsIt) throw RegistryErrors.outOfScope();
    return (await this.vehicles.listByOwner(query.ownerType, query.ownerId)).map(vehicleView);
  }
}
