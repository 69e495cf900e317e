import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a fleet endpoint must not resolve to in production: loopback, private, link-local,
 * carrier-grade NAT, unspecified and IPv6 unique-local ranges. Otherwise a fleet could make the
 * service post to the ministry's internal systems.
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  INTERNAL.addSubnet(network, prefix, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(bare);
  return family === 4 ? INTERNAL.check(bare, 'ipv4') : family === 6 ? INTERNAL.check(bare, 'ipv6') : false;
}

/** Answers the first internal address `hostname` resolves to, if any (an IP literal is checked as it is). */
export async function internalAddressOf(hostname: string, resolve = lookup): Promise<string | undefined> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : (await resolve(bare, { all: true })).map((a) => a.address);
  return addresses.find(isInternalAddress);
}
