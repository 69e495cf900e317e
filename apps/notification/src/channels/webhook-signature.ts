import { SIGNATURE_TOLERANCE_SECONDS, signBody, verifySignature } from '@app/platform';

/**
 * `X-Signature` on posts to fleet systems, keyed with the company's webhook secret: the scheme banks
 * use to sign their callbacks to us, so a fleet system verifies our posts the way we verify theirs.
 */
export const signWebhook = signBody;

/** What a receiving fleet system does. */
export function verifyWebhook(
  header: string | undefined,
  rawBody: string | Buffer,
  secret: string,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
  now = Math.floor(Date.now() / 1000),
): boolean {
  return verifySignature(header, rawBody, secret, now, toleranceSeconds).ok;
}
