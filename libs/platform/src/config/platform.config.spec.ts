import { ConfigError } from './env';
import { DEV_JWT_SECRET, KNET_SIM_RESOURCE_KEY, SIM_BANK_SECRET, loadPlatformConfig } from './platform.config';

describe('configuration at boot', () => {
  it('starts with defaults when nothing is set', () => {
    const config = loadPlatformConfig({});
    expect(config.app.PORT).toBe(3000);
    expect(config.messaging.KAFKA_TOPIC_PARTITIONS).toBe(6);
  });

  it('names every bad variable at once', () => {
    try {
      loadPlatformConfig({ PORT: 'eighty', DB_DRIVER: 'mysql', KAFKA_TOPIC_PARTITIONS: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DB_DRIVER');
      expect(message).toContain('KAFKA_TOPIC_PARTITIONS');
    }
  });

  it('refuses to start production without a real JWT secret', () => {
    expect(() => loadPlatformConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadPlatformConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET })).toThrow(/AUTH_JWT_SECRET/);
  });

  it('refuses a JWT secret shorter than 32 bytes, and never echoes it', () => {
    expect(() => loadPlatformConfig({ AUTH_JWT_SECRET: 'short-secret' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadPlatformConfig({ AUTH_JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('refuses fault injection in production', () => {
    expect(() => loadPlatformConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40), OUTBOX_FAULT: 'exit-after-publish' })).toThrow(/OUTBOX_FAULT/);
  });

  it('keeps idle pooled connections open for a minute unless told otherwise, and refuses a negative time', () => {
    expect(loadPlatformConfig({}).database.DB_POOL_IDLE_TIMEOUT_MS).toBe(60000);
    expect(loadPlatformConfig({ DB_POOL_IDLE_TIMEOUT_MS: '0' }).database.DB_POOL_IDLE_TIMEOUT_MS).toBe(0);
    expect(() => loadPlatformConfig({ DB_POOL_IDLE_TIMEOUT_MS: '-1' })).toThrow(/DB_POOL_IDLE_TIMEOUT_MS/);
  });

  it('refuses a PostgreSQL pool of one connection, which the relay would hold', () => {
    expect(() => loadPlatformConfig({ DB_DRIVER: 'postgres', DB_POOL_SIZE: '1' })).toThrow(/DB_POOL_SIZE/);
    expect(loadPlatformConfig({ DB_DRIVER: 'pglite', DB_POOL_SIZE: '1' }).database.DB_POOL_SIZE).toBe(1);
  });

  it('starts production with a proper secret', () => {
    expect(loadPlatformConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40) }).app.NODE_ENV).toBe('production');
  });

  describe('payment-gateway in production', () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40) };

    it('refuses to start without any bank', () => {
      expect(() => loadPlatformConfig(production, ['payment-gateway'])).toThrow(/BANK_SECRETS: production payment-gateway needs at least one bank/);
      // The other services do not take callbacks and start without one.
      expect(loadPlatformConfig(production, ['violations']).app.NODE_ENV).toBe('production');
    });

    it("refuses the simulators' development secret and key", () => {
      expect(() => loadPlatformConfig({ ...production, BANK_SECRETS: JSON.stringify({ nbk: SIM_BANK_SECRET }) }, ['payment-gateway'])).toThrow(
        /BANK_SECRETS: the bank simulator's development secret/,
      );
      expect(() =>
        loadPlatformConfig({ ...production, KNET_TERMINALS: JSON.stringify({ kfh: KNET_SIM_RESOURCE_KEY }) }, ['vehicle-registry', 'payment-gateway']),
      ).toThrow(/KNET_TERMINALS: the simulator's development key/);
    });

    it('starts with a real bank secret or a real KNET terminal', () => {
      expect(
        loadPlatformConfig({ ...production, BANK_SECRETS: JSON.stringify({ nbk: 'n'.repeat(32) }) }, ['payment-gateway']).payments.BANK_SECRETS,
      ).toBeDefined();
      expect(
        loadPlatformConfig({ ...production, KNET_TERMINALS: JSON.stringify({ kfh: 'k'.repeat(16) }) }, ['payment-gateway']).payments.KNET_TERMINALS,
      ).toBeDefined();
    });
  });
});
