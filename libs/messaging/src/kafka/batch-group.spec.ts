import { InboundBatch } from '../consumer/consumer-pipeline';
import { BatchGroup } from './batch-group';

const batch = (offset: string): InboundBatch => ({ messages: [{ topic: 't', value: '{}', offset }], heartbeat: () => Promise.resolve() });
const offsets = (batches: InboundBatch[]) => batches.map((b) => b.messages[0].offset);

describe('BatchGroup', () => {
  it('applies the batches handed over in the same turn together, and those arriving meanwhile as the next group', async () => {
    const groups: string[][] = [];
    let later: Promise<void> | undefined;
    const sut = new BatchGroup(async (batches) => {
      groups.push(offsets(batches) as string[]);
      if (!later) later = Promise.all([sut.handle(batch('4')), sut.handle(batch('5'))]).then(() => undefined);
      await new Promise((r) => setTimeout(r, 5));
    });

    await Promise.all([sut.handle(batch('1')), sut.handle(batch('2')), sut.handle(batch('3'))]);
    await later;

    expect(groups).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
  });

  it('a group that fails rejects each of its batches, and the next group still runs', async () => {
    let calls = 0;
    const sut = new BatchGroup(() => (++calls === 1 ? Promise.reject(new Error('database away')) : Promise.resolve()));

    const first = await Promise.allSettled([sut.handle(batch('1')), sut.handle(batch('2'))]);
    await sut.handle(batch('3'));

    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(2);
  });
});
