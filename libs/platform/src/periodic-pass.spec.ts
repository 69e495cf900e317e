import { PeriodicPass } from './periodic-pass';

/** A pass the test finishes by hand: each call waits until finish() or fail(). */
function manualPass() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  return {
    calls: () => pending.length,
    pass: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
    finish: async () => {
      pending[pending.length - 1].resolve();
      await Promise.resolve();
    },
    fail: async (message: string) => {
      pending[pending.length - 1].reject(new Error(message));
      await Promise.resolve();
    },
  };
}

const settle = () => new Promise((r) => jest.requireActual<typeof import('timers')>('timers').setImmediate(r));

describe('a periodic pass', () => {
  const logger = { log: jest.fn(), warn: jest.fn() };

  beforeEach(() => {
    jest.useFakeTimers();
    logger.log.mockClear();
    logger.warn.mockClear();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs every interval, and skips a tick while the previous pass still runs', async () => {
    const work = manualPass();
    const periodic = new PeriodicPass('folding', 1000, work.pass, logger);
    periodic.start();
    jest.advanceTimersByTime(999);
    expect(work.calls()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(work.calls()).toBe(1);
    jest.advanceTimersByTime(3000); // still running: three ticks skipped
    expect(work.calls()).toBe(1);
    await work.finish();
    await settle();
    jest.advanceTimersByTime(1000);
    expect(work.calls()).toBe(2);
    await work.finish();
    await settle();
    await periodic.stop();
  });

  it('logs a run of failures once and the recovery once', async () => {
    const work = manualPass();
    const periodic = new PeriodicPass('folding', 1000, work.pass, logger);
    periodic.start();
    for (let i = 0; i < 3; i++) {
      jest.advanceTimersByTime(1000);
      await work.fail('connection refused');
      await settle();
    }
    expect(work.calls()).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith({ err: 'connection refused' }, 'folding failed; retrying every 1000 ms');
    jest.advanceTimersByTime(1000);
    await work.finish();
    await settle();
    jest.advanceTimersByTime(1000);
    await work.finish();
    await settle();
    expect(logger.log).toHaveBeenCalledTimes(1);
    expect(logger.log).toHaveBeenCalledWith({}, 'folding works again');
    await periodic.stop();
  });

  it('stop waits for the pass in progress, and no pass starts after it', async () => {
    const work = manualPass();
    const periodic = new PeriodicPass('folding', 1000, work.pass, logger);
    periodic.start();
    jest.advanceTimersByTime(1000);
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    await work.finish();
    await stopping;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(10_000);
    expect(work.calls()).toBe(1);
  });
});
