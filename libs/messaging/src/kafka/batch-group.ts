import { InboundBatch } from '../consumer/consumer-pipeline';

interface Waiting {
  batch: InboundBatch;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one consumer: the partition batches kafkajs hands over concurrently are applied
 * together, one group at a time. A group starts on the next turn of the event loop, so that the
 * batches of one fetch, handed over in the same turn, travel together; the batches arriving while
 * a group is applied form the next one.
 */
export class BatchGroup {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private running = false;

  constructor(private readonly apply: (batches: InboundBatch[]) => Promise<void>) {}

  /** Resolves once the batch's group has committed; rejects with the group's error. */
  handle(batch: InboundBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    const group = this.waiting;
    this.waiting = [];
    try {
      await this.apply(group.map((w) => w.batch));
      for (const w of group) w.resolve();
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      this.running = false;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}
