/** Where a PeriodicPass reports: a Nest Logger fits. */
export interface PassLogger {
  log(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * A pass of background work run every `everyMs` (a fold, a sweep), never two at once: a tick that
 * finds the previous pass still running is skipped. A failing pass is logged once per run of
 * failures and the recovery once, so a database that is away for a minute does not log every tick;
 * the next tick simply tries again. stop() ends the ticks and waits for the pass in progress, as a
 * service does before it closes its database.
 */
export class PeriodicPass {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failing = false;

  constructor(
    /** What the pass does, for the log: "folding company totals". */
    private readonly what: string,
    private readonly everyMs: number,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: PassLogger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass now, unless one is running (answers that one). */
  private tick(): Promise<void> {
    this.running ??= this.pass()
      .then(() => {
        if (this.failing) this.logger.log({}, `${this.what} works again`);
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn({ err: (error as Error)?.message ?? String(error) }, `${this.what} failed; retrying every ${this.everyMs} ms`);
        this.failing = true;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
