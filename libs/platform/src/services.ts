/** The four services, with what differs between them when they run apart. */
export const SERVICES = {
  'vehicle-registry': { port: 3001, database: 'fines_registry', urlVariable: 'REGISTRY_DATABASE_URL' },
  violations: { port: 3002, database: 'fines_violations', urlVariable: 'VIOLATIONS_DATABASE_URL' },
  'payment-gateway': { port: 3003, database: 'fines_payments', urlVariable: 'PAYMENTS_DATABASE_URL' },
  notification: { port: 3004, database: 'fines_notification', urlVariable: 'NOTIFICATION_DATABASE_URL' },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
