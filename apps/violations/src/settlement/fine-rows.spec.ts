import { EventEnvelope } from '@app/contracts';
import { fineRows } from './fine-settlement.service';

const event = (paymentNumber: string, fineNumbers: string[], traceId = paymentNumber) =>
  ({ traceId, payload: { paymentNumber, items: fineNumbers.map((fineNumber) => ({ fineNumber })) } }) as unknown as EventEnvelope<{
    paymentNumber: string;
    items: { fineNumber: string }[];
  }>;

describe('fineRows: the fines a run of payment events writes', () => {
  it('lists them in fine-number order, the order transfers lock fines in, whatever the payments’ order', () => {
    const rows = fineRows([event('P2', ['26000000009', '26000000001']), event('P1', ['26000000005'])], true);
    expect(rows.map((r) => [r.fineNumber, r.payment.paymentNumber])).toEqual([
      ['26000000001', 'P2'],
      ['26000000005', 'P1'],
      ['26000000009', 'P2'],
    ]);
  });

  it('keeps the first payment of a fine named twice when asked, every pair otherwise', () => {
    const run = [event('P1', ['26000000003']), event('P2', ['26000000003', '26000000002'])];
    expect(fineRows(run, true).map((r) => [r.fineNumber, r.payment.paymentNumber])).toEqual([
      ['26000000002', 'P2'],
      ['26000000003', 'P1'],
    ]);
    expect(fineRows(run, false).map((r) => [r.fineNumber, r.payment.paymentNumber])).toEqual([
      ['26000000002', 'P2'],
      ['26000000003', 'P1'],
      ['26000000003', 'P2'],
    ]);
  });
});
