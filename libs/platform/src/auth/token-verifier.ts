import { KeyObject, createSecretKey } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JWTPayload, createRemoteJWKSet, jwtVerify } from 'jose';
import { normalizeIdentifier } from '@app/contracts';
import { DEV_JWT_SECRET, PlatformConfig } from '../config/platform.config';
import { PLATFORM_CONFIG } from '../tokens';
import { Principal, ROLES, Role } from './principal';

export class InvalidTokenError extends Error {}

/** Verifies bearer tokens: HS256 with AUTH_JWT_SECRET, or RS256 against AUTH_JWKS_URL. */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly key: KeyObject | ReturnType<typeof createRemoteJWKSet>;
  private readonly algorithms: string[];

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {
    const { AUTH_JWKS_URL, AUTH_JWT_SECRET } = config.auth;
    if (AUTH_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(AUTH_JWKS_URL));
      this.algorithms = ['RS256'];
    } else {
      if (!AUTH_JWT_SECRET) this.logger.warn('AUTH_JWT_SECRET is not set: using the development key; production refuses this');
      // A KeyObject once: given bytes, jose makes one per token it verifies.
      this.key = createSecretKey(Buffer.from(AUTH_JWT_SECRET ?? DEV_JWT_SECRET));
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string): Promise<Principal> {
    let claims: JWTPayload;
    try {
      const options = { algorithms: this.algorithms, issuer: this.config.auth.AUTH_ISSUER, audience: this.config.auth.AUTH_AUDIENCE };
      const result = typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      claims = result.payload;
    } catch (error) {
      throw new InvalidTokenError((error as Error).message);
    }
    return toPrincipal(claims);
  }
}

export function toPrincipal(claims: JWTPayload): Principal {
  const role = claims['role'];
  if (typeof claims.sub !== 'string' || typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new InvalidTokenError('token lacks sub or a known role');
  }
  const principal: Principal = { sub: claims.sub, role: role as Role };
  if (typeof claims['civilId'] === 'string') principal.civilId = normalizeIdentifier(claims['civilId']);
  if (typeof claims['companyNo'] === 'string') principal.companyNo = normalizeIdentifier(claims['companyNo']);
  if (principal.role === 'driver' && !principal.civilId) throw new InvalidTokenError('a driver token needs civilId');
  if (principal.role === 'fleet' && !principal.companyNo) throw new InvalidTokenError('a fleet token needs companyNo');
  return principal;
}
