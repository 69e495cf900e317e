import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { aPerson } from '../support/factories';
import { bearer } from '../support/tokens';
import { ROOT, ServiceProcess, countOf, eventually, recreateDatabases } from './support/stack';

function boot(service: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, `dist/apps/${service}/src/main.js`)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30000,
  });
}

/**
 * POSTs with `Expect: 100-continue`: Node's server writes the 100 when it has parsed the headers and
 * hands the request to Fastify in the same tick (Fastify's 503-while-closing check included), so by
 * the time the client reads the 100 the request is the service's. Then `received` runs, then the
 * body is sent. Answers the final status.
 */
function postHeldAtBody(url: string, body: string, headers: Record<string, string>, received: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    outgoing.on('continue', () => {
      received();
      outgoing.end(body);
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.flushHeaders();
  });
}

describe('starting and stopping a service', () => {
  it('bad configuration stops a service at boot with a message naming each bad variable', () => {
    const result = boot('violations', { KAFKA_TOPIC_PARTITIONS: 'zero', DB_POOL_SIZE: '-1', NODE_ENV: 'test' });
    expect(result.status).toBe(78);
    const line = JSON.parse(result.stderr.trim().split('\n').pop()!);
    expect(line).toMatchObject({ level: 'fatal', service: 'violations' });
    expect(line.problems.join('\n')).toMatch(/KAFKA_TOPIC_PARTITIONS/);
    expect(line.problems.join('\n')).toMatch(/DB_POOL_SIZE/);
  });

  it('production refuses to start with the development secret', () => {
    const result = boot('vehicle-registry', { NODE_ENV: 'production' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('AUTH_JWT_SECRET');
  });

  it("production payment-gateway refuses to start without a bank secret, or with the simulator's", () => {
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'an-e2e-production-secret-of-40-characters' };
    const none = boot('payment-gateway', production);
    expect(none.status).toBe(78);
    expect(none.stderr).toContain('needs at least one bank');
    const simulator = boot('payment-gateway', { ...production, BANK_SECRETS: JSON.stringify({ nbk: 'sim-bank-dev-secret' }) });
    expect(simulator.status).toBe(78);
    expect(simulator.stderr).toContain("the bank simulator's development secret is refused");
    expect(simulator.stderr).not.toContain('"nbk"'); // the problem names the variable, never echoes its value
  });

  describe('on SIGTERM', () => {
    const registry = new ServiceProcess('vehicle-registry');

    beforeAll(async () => {
      recreateDatabases();
      await registry.startReady();
    });

    afterAll(async () => {
      await registry.kill();
    });

    it('finishes the request in flight, then exits', async () => {
      const clerk = await bearer('clerk');
      const person = aPerson();
      // The request's headers reach the service first; its body is sent only after SIGTERM, so the
      // request is in flight when the shutdown begins, however slowly this machine runs.
      let exited: Promise<number | null> | undefined;
      const status = await postHeldAtBody(`${registry.url}/v1/persons`, JSON.stringify(person), { authorization: clerk }, () => {
        exited = registry.stop();
      });

      expect(status).toBe(201);
      expect(exited).toBeDefined();
      expect(await exited!).not.toBe(1); // 1 is the watchdog's exit: draining took longer than the grace period
      expect(await countOf('vehicle-registry', 'SELECT count(*) FROM person WHERE civil_id = $1', [person.civilId])).toBe(1);
      // Its event is in the outbox, published now or by the next start: never lost.
      await eventually(
        async () => (await countOf('vehicle-registry', 'SELECT count(*) FROM outbox_message WHERE message_key = $1', [`PERSON:${person.civilId}`])) === 1,
        5000,
        'the event in the outbox',
      );
    });
  });
});
