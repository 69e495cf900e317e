/** The SQLSTATE of a PostgreSQL error, whether pg raised it or TypeORM wrapped it. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.driverError?.code === 'string' ? e.driverError.code : undefined;
}

/** A unique constraint refused the row (23505): usually a 409 for the caller, never a 500. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}
