import { createHash } from 'node:crypto';
import { statusesFor } from '../fines/dto/fine.dto';
import { civilIdInquiry, companyPage, companyTotals, plateInquiry } from './inquiry.queries';

describe('the inquiry’s prepared statements', () => {
  const filters = [statusesFor('UNPAID'), statusesFor('PAID'), statusesFor('ALL')];
  const every = (statuses: ReturnType<typeof statusesFor>) => [
    civilIdInquiry('288020122596', statuses),
    plateInquiry('PRIVATE', '12345', statuses),
    companyPage('100001', statuses, 1, 50),
    companyTotals('100001', statuses),
    companyTotals('100001', statuses, '12345'),
  ];

  it('each text has one name, the hash of that text, whatever the values', () => {
    for (const statuses of filters) {
      for (const query of every(statuses)) {
        expect(query.name).toBe(`inquiry_${createHash('sha256').update(query.text).digest('hex').slice(0, 24)}`);
      }
    }
    expect(civilIdInquiry('288020122596', filters[0])).toMatchObject({ name: civilIdInquiry('285010112358', filters[0]).name, values: ['288020122596'] });
  });

  it('every status filter, and the totals of one plate, get texts and names of their own', () => {
    const queries = filters.flatMap(every);
    expect(new Set(queries.map((q) => q.text)).size).toBe(queries.length);
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
  });

  it('a status filter that is not one of the fine statuses is refused, not written into the text', () => {
    expect(() => civilIdInquiry('288020122596', ["UNPAID') OR (1=1" as never])).toThrow('bad status filter');
  });
});
