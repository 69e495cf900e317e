import { SignJWT } from 'jose';
import { DEV_JWT_SECRET, loadPlatformConfig } from '../config/platform.config';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const sign = (claims: Record<string, unknown>, secret = DEV_JWT_SECRET, alg = 'HS256') =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject('someone').setExpirationTime('5m').sign(new TextEncoder().encode(secret));

describe('verifying bearer tokens', () => {
  const sut = new TokenVerifier(loadPlatformConfig({ LOG_LEVEL: 'silent' }));

  it('turns a driver token into a principal with a normalized civil ID', async () => {
    const principal = await sut.verify(await sign({ role: 'driver', civilId: '٢٨٨٠٢٠١٢٢٥٩٦' }));
    expect(principal).toEqual({ sub: 'someone', role: 'driver', civilId: '288020122596' });
  });

  it('refuses a driver token without a civil ID', async () => {
    await expect(sut.verify(await sign({ role: 'driver' }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an unknown role', async () => {
    await expect(sut.verify(await sign({ role: 'superuser' }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token signed with another key', async () => {
    await expect(sut.verify(await sign({ role: 'admin' }, 'another-key-that-is-long-enough-to-sign'))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an expired token', async () => {
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('someone')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    await expect(sut.verify(expired)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
