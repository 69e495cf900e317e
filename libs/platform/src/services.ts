/** The four services, with what differs between them when they run apart. */
export const SERVICES = {
  'vehicle-registry': { port: 3001, database: 'fines_registry', urlVariable: 'REGISTRY_DATABASE_URL' },
  violations: { port: 3002, database: 'fines_violations', urlVariable: 'VIOLATIONS_DATABASE_URL' },
  'payment-gateway': { port: 3003, database: 'fines_payments', urlVariable: 'PAYMENTS_DATABASE_URL' },
  notification: { port: 3004, database: 'fines_notification', urlVariable: 'NOTIFICATION_DATABASE_URL' },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/**
 * Node's flags for every service process (npm start scripts, Dockerfile, end-to-end tests, benchmarks).
 * - A 64 MB young generation semi-space instead of the default 16: at 1,200 civil-ID inquiries a
 *   second, objects of requests in flight outlived two scavenges and a major GC came every ~2 s, each
 *   leaving a clump of requests 25-50 ms late; with 64 MB the paced p99 fell from 25-32 ms to 6 ms
 *   (RSS +55 MB).
 * - No allocation-site pretenuring: V8 had decided that objects of the company page's path outlive the
 *   young generation and allocated them straight in old space, where they died (`--trace-gc` at 700
 *   pages a second: ~5 MB promoted per scavenge, each scavenge 5-7 ms instead of 1.5, every ~145 ms,
 *   and a major GC every ~2 s). Without it the paced company-page p99 fell from 18-24 ms to 5-6 ms and
 *   the service's CPU by 15%; the civil ID's was unchanged.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'] as const;
