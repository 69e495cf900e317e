import { CURRENCY_DIGITS } from '@app/contracts';

export const CSV_HEADER =
  'fineNumber,status,plateType,plateNumber,violationCode,violationEn,violationAr,occurredAt,locationAr,locationEn,amount,currency,issuedAt,paidAt,paymentNumber';

/**
 * A company fine's CSV line is written when the fine is, not when it is downloaded: a row trigger on
 * `fine` (migration 1763800700000) keeps, for every fine on a company's plate, the text of its line
 * before the violation titles (`csv_head`) and after them (`csv_tail`), from the columns of the row
 * `row` (NEW in the trigger, the loaded row in bench:data). A download then only joins each stored
 * pair with its type's titles (CSV_LINE_SQL), instead of formatting fifteen fields per fine while the
 * client waits (most of a download's time before). The same text the service would write: ISO 8601
 * UTC times to the millisecond as Date.toISOString() gives them, amounts with the currency's minor
 * digits as formatMinor does them, free text quoted when it holds a quote, comma or line break, and
 * defused (a leading apostrophe) when a spreadsheet would read it as a formula.
 */
export function csvHeadSql(row: string): string {
  return `concat_ws(',', ${[`${row}.fine_number`, `${row}.status`, `${row}.plate_type`, `${row}.plate_number`, `${row}.violation_code`].join(', ')})`;
}

export function csvTailSql(row: string): string {
  return `concat_ws(',', ${[
    isoTime(`${row}.occurred_at`),
    csvText(`${row}.location_ar`),
    csvText(`${row}.location_en`),
    amount(`${row}.amount_minor`, `${row}.currency`),
    `${row}.currency`,
    isoTime(`${row}.issued_at`),
    isoTime(`${row}.paid_at`),
    csvText(`${row}.payment_number`),
  ].join(', ')})`;
}

/** One CSV line (without its CRLF) of a company fine `f`, with its type's titles from `csv_type t` (CSV_TYPES_SQL). */
export const CSV_LINE_SQL = `concat_ws(',', f.csv_head, t.title_en, t.title_ar, f.csv_tail)`;

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
