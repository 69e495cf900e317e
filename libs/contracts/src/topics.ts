/**
 * Topic names carry their version. A breaking change to an event is a new topic, never an edit in
 * place: consumers in production read these names.
 */
export const TOPICS = {
  registryOwners: 'registry.owners.v1',
  registryVehicles: 'registry.vehicles.v1',
  violationsFines: 'violations.fines.v1',
  payments: 'payments.payments.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Where a consumer group parks the events its handlers keep failing on. */
export function deadLetterTopic(consumer: string): string {
  return `dlq.${consumer}.v1`;
}
