import { signBody } from '@app/platform';

/**
 * Traffic a bank gateway sends, for the loss-and-duplication test and bench:payments: signed
 * callbacks, posted the way a bank does it (again and again until it gets an answer).
 */

export interface CallbackBody {
  paymentNumber: string;
  bankReference: string;
  result: 'CAPTURED' | 'DECLINED' | 'CANCELLED';
  amount: string;
  currency: string;
  occurredAt: string;
}

export interface Delivery {
  status: number;
  /** Posts that got no HTTP answer (connection refused or reset) or a 5xx before this one. */
  retries: number;
}

/** Runs `work` over `items` with at most `concurrency` in flight; answers the results in order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Posts one callback, signed afresh on each attempt, until the service answers something other
 * than a 5xx: a bank's gateway retries a callback it got no answer for. Gives up after `deadlineMs`.
 */
export async function deliverCallback(baseUrl: () => string, bankCode: string, secret: string, body: CallbackBody, deadlineMs = 120_000): Promise<Delivery> {
  const raw = JSON.stringify(body);
  const deadline = Date.now() + deadlineMs;
  for (let retries = 0; ; retries++) {
    try {
      const response = await fetch(`${baseUrl()}/v1/bank-callbacks/${bankCode}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bank-signature': signBody(secret, raw) },
        body: raw,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status < 500) return { status: response.status, retries };
    } catch {
      // refused, reset or timed out: the service is down or restarting
    }
    if (Date.now() > deadline) throw new Error(`callback for ${body.paymentNumber} got no answer within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
