import { SignJWT } from 'jose';

/** A bearer token as scripts/token.mjs mints it (role, civilId or companyNo, sub, iat, 12 h), signed with `secret`. */
export function mintToken(secret: string, role: 'driver' | 'fleet', id: string): Promise<string> {
  const claims: Record<string, string> = { role };
  if (role === 'driver') claims.civilId = id;
  else claims.companyNo = id;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`${role}:${id}`)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(secret));
}
