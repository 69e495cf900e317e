import { SignJWT } from 'jose';
import { DEV_JWT_SECRET, Role } from '@app/platform';

/** A bearer token as `npm run token` mints it, signed with the development key. */
export async function bearer(role: Role, claims: { civilId?: string; companyNo?: string } = {}, secret = DEV_JWT_SECRET): Promise<string> {
  const token = await new SignJWT({ role, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`${role}:test`)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
  return `Bearer ${token}`;
}
