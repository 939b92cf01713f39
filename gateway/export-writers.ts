/** The formats an export is served in (README, "BI exports"). */
export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** One row as the export's columns name it: strings, numbers, booleans or null (decimals stay strings). */
export type ExportRow = Record<string, string | number | boolean | null>;

/**
 * A text a spreadsheet would take for a formula (=, +, -, @, and the tab and
 * carriage return some read as such) gets a leading apostrophe (OWASP's
 * advice against CSV injection). Numbers are written as numbers and never
 * need it: a negative amount stays -12.50.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, a quote or a
 * line break, quotes doubled. A decimal column's value that is a plain
 * decimal (-12.50) is a number to a spreadsheet, not a formula, and stays
 * as it is; every other text is guarded.
 */
export function csvField(value: string | number | boolean | null, decimal = false): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  if (decimal && DECIMAL.test(value)) return value;
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes rows as one format: a head, each row, a tail. CSV lines end in CRLF, as RFC 4180 has it. */
export interface RowWriter {
  head(): string;
  row(row: ExportRow, index: number): string;
  tail(): string;
}

export function rowWriter(format: ExportFormat, columns: readonly { name: string; type: string }[]): RowWriter {
  switch (format) {
    case 'csv':
      return {
        // No byte-order mark: RFC 4180 has none, and curl or a CSV parser would see it as part of the first name.
        head: () => `${columns.map((c) => csvField(c.name)).join(',')}\r\n`,
        row: (row) => `${columns.map((c) => csvField(row[c.name] ?? null, c.type === 'decimal')).join(',')}\r\n`,
        tail: () => '',
      };
    case 'json':
      return {
        head: () => '[',
        row: (row, index) => `${index === 0 ? '' : ','}\n${JSON.stringify(row)}`,
        tail: () => '\n]\n',
      };
    case 'ndjson':
      return {
        head: () => '',
        row: (row) => `${JSON.stringify(row)}\n`,
        tail: () => '',
      };
  }
}
