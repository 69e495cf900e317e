export interface LocalizedText {
  ar: string;
  en: string;
}

/**
 * A refusal the caller can act on. Each module keeps its codes in a string enum and builds these
 * with Arabic and English texts; the problem filter turns them into problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: LocalizedText,
    readonly detail: LocalizedText,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail.en);
    this.name = 'DomainError';
  }
}
