import { CURRENCY_DIGITS } from '@app/contracts';

export const CSV_HEADER =
  'fineNumber,status,plateType,plateNumber,violationCode,violationEn,violationAr,occurredAt,locationAr,locationEn,amount,currency,issuedAt,paidAt,paymentNumber';

/**
 * One CSV line (without its CRLF) of a fine, built by PostgreSQL from the columns of `fine f` and
 * of `csv_type t` (CSV_TYPES: the violation titles, already CSV fields): the database hands over one
 * string per chunk of fines instead of a row object per fine for Node to parse, convert and format
 * (most of a download's time before). The same text the service would write: ISO 8601 UTC times to
 * the millisecond as Date.toISOString() gives them, amounts with the currency's minor digits as
 * formatMinor does them, free text quoted when it holds a quote, comma or line break, and defused
 * (a leading apostrophe) when a spreadsheet would read it as a formula.
 */
export const CSV_LINE_SQL = `concat_ws(',', ${[
  'f.fine_number',
  'f.status',
  'f.plate_type',
  'f.plate_number',
  'f.violation_code',
  't.title_en',
  't.title_ar',
  isoTime('f.occurred_at'),
  csvText('f.location_ar'),
  csvText('f.location_en'),
  amount('f.amount_minor', 'f.currency'),
  'f.currency',
  isoTime('f.issued_at'),
  isoTime('f.paid_at'),
  csvText('f.payment_number'),
].join(', ')})`;

/** The violation types' titles as CSV fields, once per type rather than once per fine: `WITH csv_type AS MATERIALIZED (...)`. */
export const CSV_TYPES_SQL = `SELECT code, ${csvText('title_en')} AS title_en, ${csvText('title_ar')} AS title_ar FROM violation_type`;

/** Free text as a CSV field: empty for null, formulas defused, quoted when it must be; one regular expression for the usual text. */
function csvText(column: string): string {
  const quoted = (prefix: string) => `'"${prefix}' || replace(${column}, '"', '""') || '"'`;
  return `CASE WHEN ${column} IS NULL THEN ''
    WHEN ${column} !~ '^[=+\\-@\\t\\r]|[",\\r\\n]' THEN ${column}
    WHEN ${column} ~ '^[=+\\-@\\t\\r]' THEN ${quoted("''")}
    ELSE ${quoted('')} END`;
}

/** 2026-11-20T15:42:00.000Z, truncated to the millisecond like a JavaScript Date; empty for null. */
function isoTime(column: string): string {
  return `coalesce(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;
}

/** Minor units as a decimal string with the currency's digits (amount_minor is never negative). */
function amount(minor: string, currency: string): string {
  const cases = Object.entries(CURRENCY_DIGITS).map(([code, digits]) => {
    if (digits === 0) return `WHEN '${code}' THEN ${minor}::text`;
    const unit = 10 ** digits;
    return `WHEN '${code}' THEN (${minor} / ${unit})::text || '.' || lpad((${minor} % ${unit})::text, ${digits}, '0')`;
  });
  return `coalesce(CASE ${currency} ${cases.join(' ')} END, '')`;
}
