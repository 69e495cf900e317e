import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const ROLES = ['driver', 'fleet', 'officer', 'clerk', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from the verified token. `civilId` for drivers, `companyNo` for fleets. */
export interface Principal {
  sub: string;
  role: Role;
  civilId?: string;
  companyNo?: string;
}

/** A request the AuthGuard let through, with the principal of its token (what @CurrentPrincipal() gives). */
export type AuthenticatedRequest = FastifyRequest & { principal: Principal };

export const PUBLIC_ROUTE = 'auth:public';
export const ALLOWED_ROLES = 'auth:roles';

/** No token needed (health, metrics, bank callbacks). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Roles allowed on a route; `admin` is always allowed. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
