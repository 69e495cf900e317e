import { TransactionHost } from '@app/persistence';
import { InquiryService } from './inquiry.service';

/** A query layer that answers the first CSV chunk and fails the next (a pool timeout, a failover). */
function failingAfterOneChunk(plates: number) {
  let calls = 0;
  const query = jest.fn(() => {
    calls++;
    if (calls === 1) return Promise.resolve([{ lines: 'line 1\r\n', plates, plate_type: 'TRUCK', plate_number: '100' }]);
    return Promise.reject(new Error('Connection terminated unexpectedly'));
  });
  return { tx: { read: query } as unknown as TransactionHost, query };
}

describe('a company CSV whose read-ahead fails', () => {
  it('fails the download at the chunk that failed, after the chunks before it, however late the client asks', async () => {
    const { tx, query } = failingAfterOneChunk(2);
    const inquiry = new InquiryService(tx);
    inquiry.csvPlatesPerChunk = 2;
    const chunks = inquiry.companyCsv('100001', ['UNPAID'])[Symbol.asyncIterator]();
    expect(String((await chunks.next()).value)).toContain('fineNumber');
    expect(String((await chunks.next()).value)).toBe('line 1\r\n');
    // The client is slow: the read-ahead fails while nobody awaits it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(query).toHaveBeenCalledTimes(2);
    await expect(chunks.next()).rejects.toThrow('Connection terminated unexpectedly');
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });
});
