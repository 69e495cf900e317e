import { TransactionHost } from '@app/persistence';
import type { InquiryQuery } from './inquiry.queries';
import { InquiryService } from './inquiry.service';

const TITLES = [{ code: 'SPEED_20', title_en: 'Speeding', title_ar: 'تجاوز السرعة' }];
const FINE = { csv_head: 'F-1,UNPAID,PRIVATE,100', violation_code: 'SPEED_20', csv_tail: 'tail' };

/**
 * A query layer (by statement text) with two chunks' ends: the first chunk's fines answer, the
 * second's fail (a pool timeout, a failover). `titles` are the answers to each read of the titles.
 */
function fakeDatabase(titles: (typeof TITLES)[] = [TITLES], fines = [FINE]) {
  let rowQueries = 0;
  let titleReads = 0;
  const query = jest.fn((q: InquiryQuery) => {
    if (q.text.includes('FROM violation_type')) return Promise.resolve(titles[Math.min(titleReads++, titles.length - 1)]);
    if (q.text.includes('OFFSET $5')) return Promise.resolve(q.values[3] === '' ? [{ plate_type: 'PRIVATE', plate_number: '100' }] : []);
    rowQueries++;
    if (rowQueries === 1) return Promise.resolve(fines);
    return Promise.reject(new Error('Connection terminated unexpectedly'));
  });
  return { tx: { read: query } as unknown as TransactionHost, query };
}

describe('a company CSV', () => {
  it('fails the download at the chunk that failed, after the chunks before it, however late the client asks', async () => {
    const { tx, query } = fakeDatabase();
    const chunks = new InquiryService(tx).companyCsv('100001', ['UNPAID'])[Symbol.asyncIterator]();
    expect(String((await chunks.next()).value)).toContain('fineNumber');
    expect(String((await chunks.next()).value)).toBe('F-1,UNPAID,PRIVATE,100,Speeding,تجاوز السرعة,tail\r\n');
    // The client is slow: the read-ahead fails while nobody awaits it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(query.mock.calls.filter(([q]) => q.text.includes('csv_head'))).toHaveLength(2);
    await expect(chunks.next()).rejects.toThrow('Connection terminated unexpectedly');
    expect(await chunks.next()).toEqual({ done: true, value: undefined });
  });

  it('reads the titles again for a violation type added during the download', async () => {
    const added = { code: 'NEW_TYPE', title_en: 'New', title_ar: 'جديد' };
    const { tx } = fakeDatabase([TITLES, [...TITLES, added]], [FINE, { ...FINE, violation_code: 'NEW_TYPE' }]);
    const chunks = new InquiryService(tx).companyCsv('100001', ['UNPAID'])[Symbol.asyncIterator]();
    await chunks.next();
    expect(String((await chunks.next()).value)).toBe('F-1,UNPAID,PRIVATE,100,Speeding,تجاوز السرعة,tail\r\nF-1,UNPAID,PRIVATE,100,New,جديد,tail\r\n');
  });

  it('fails rather than write a line without its titles', async () => {
    const { tx } = fakeDatabase([TITLES], [{ ...FINE, violation_code: 'UNKNOWN' }]);
    const chunks = new InquiryService(tx).companyCsv('100001', ['UNPAID'])[Symbol.asyncIterator]();
    await chunks.next();
    await expect(chunks.next()).rejects.toThrow('violation code with no title');
  });
});
