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

const TRANSIENT_SQLSTATE = /^(08|53|57P0)|^(40001|40P01|57014|55P03)$/;
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/**
 * Faults of the database or the connection (lost connections, deadlocks, serialization failures),
 * not of the work itself: the same work tried again later will succeed. A consumer hands such a
 * batch back to its transport instead of dead-lettering it; bank callbacks retry their batch.
 */
export function isTransientFault(error: unknown): boolean {
  const code = sqlState(error);
  if (code && TRANSIENT_SQLSTATE.test(code)) return true;
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && TRANSIENT_MESSAGE.test(message);
}
