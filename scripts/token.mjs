#!/usr/bin/env node
// Prints a development bearer token: npm run token -- --role driver --civil-id 285010112358
// Signed with AUTH_JWT_SECRET, or the development key that services use outside production.
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const DEV_JWT_SECRET = 'development-only-jwt-secret-not-for-production!';
const ROLES = ['driver', 'fleet', 'officer', 'clerk', 'admin'];

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    'civil-id': { type: 'string' },
    'company-no': { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '12h' },
  },
});

function fail(message) {
  process.stderr.write(`${message}\nusage: npm run token -- --role driver|fleet|officer|clerk|admin [--civil-id N] [--company-no N] [--sub S] [--ttl 12h]\n`);
  process.exit(2);
}

if (!ROLES.includes(values.role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (values.role === 'driver' && !values['civil-id']) fail('a driver token needs --civil-id');
if (values.role === 'fleet' && !values['company-no']) fail('a fleet token needs --company-no');
if (process.env.NODE_ENV === 'production') fail('refusing to mint tokens with NODE_ENV=production');

const claims = { role: values.role };
if (values['civil-id']) claims.civilId = values['civil-id'];
if (values['company-no']) claims.companyNo = values['company-no'];
const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET || DEV_JWT_SECRET);
const token = await new SignJWT(claims)
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(values.sub ?? `${values.role}:${values['civil-id'] ?? values['company-no'] ?? 'dev'}`)
  .setIssuedAt()
  .setExpirationTime(values.ttl)
  .sign(secret);
process.stdout.write(`${token}\n`);
