import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

/** What must answer before this process takes traffic: its databases and its broker. */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }

  /** Once SIGTERM arrives the process reports not ready, so load balancers stop sending to it. */
  get isDraining(): boolean {
    return this.draining;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
