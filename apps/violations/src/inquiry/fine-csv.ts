import { CURRENCY_DIGITS } from '@app/contracts';

export const CSV_HEADER =
  'fineNumber,status,plateType,plateNumber,violationCode,violationEn,violationAr,occurredAt,locationAr,locationEn,amount,currency,issuedAt,paidAt,paymentNumber';

/**
 * A company fine's CSV line is written when the fine is, not when it is downloaded: a row trigger on
 * `fine` (migration 1763800700000) keeps, for every fine on a company's plate, the text of its line
 * before the violation titles (`csv_head`) and after them (`csv_tail`), from the columns of the row
 * `row` (NEW in the trigger, the loaded row in bench:data). A download then only joins each stored
 * pair with its type's titles (csvLines), instead of formatting fifteen fields per fine while the
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

/** A company fine's stored CSV parts (fine_company holds them in the CSV's order). */
export interface CsvParts {
  csv_head: string;
  violation_code: string;
  csv_tail: string;
}

/** A violation type's titles as CSV fields (CSV_TYPES_SQL), read once per download. */
export interface CsvTitlesRow {
  code: string;
  title_en: string;
  title_ar: string;
}

/** Each violation code's `titleEn,titleAr` fields. */
export function csvTitlesByCode(rows: CsvTitlesRow[]): Map<string, string> {
  return new Map(rows.map((row) => [row.code, `${row.title_en},${row.title_ar}`]));
}

/** Characters encoded at a time: a few thousand pieces joined and encoded per piece of the chunk, not one string per chunk. */
const ENCODE_AT = 16 * 1024;

/**
 * The CSV lines, each ending in CRLF, of fines whose titles are all in `titles`, as UTF-8; undefined
 * when a fine's violation code is not (a type added since the titles were read). The lines are
 * encoded in pieces of about ENCODE_AT characters: encoding a chunk's lines as one string (12,000
 * lines, 3 million characters, Arabic among them) took three times as long, most of the service's
 * CPU for a download.
 */
export function csvLines(fines: CsvParts[], titles: ReadonlyMap<string, string>): Buffer | undefined {
  const pieces: Buffer[] = [];
  let piece = '';
  for (const fine of fines) {
    const fields = titles.get(fine.violation_code);
    if (fields === undefined) return undefined;
    piece += `${fine.csv_head},${fields},${fine.csv_tail}\r\n`;
    if (piece.length >= ENCODE_AT) {
      pieces.push(Buffer.from(piece));
      piece = '';
    }
  }
  if (piece) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

/** The violation types' titles as CSV fields, once per type rather than once per fine. */
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
