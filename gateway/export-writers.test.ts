import { parse as parseCsv } from 'csv-parse/sync';
import { csvField, guardFormula, rowWriter } from './export-writers';

describe('export writers', () => {
  it('quotes CSV fields per RFC 4180 only where needed, and keeps numbers and empty values plain', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('defuses text a spreadsheet would read as a formula', () => {
    for (const text of ['=1+1', '+49 30 1234', '-2', '@SUM(A1)', '\tx', '\rx']) expect(guardFormula(text)).toBe(`'${text}`);
    expect(guardFormula('Müller & Söhne')).toBe('Müller & Söhne');
    // In a decimal column a plain negative amount is a number, not a formula; anything else there is guarded too.
    expect(csvField('-12.50', true)).toBe('-12.50');
    expect(csvField('-12.50')).toBe("'-12.50");
    expect(csvField('-1+2', true)).toBe("'-1+2");
  });

  it('writes CSV that a CSV parser reads back, header first, CRLF line ends', () => {
    const writer = rowWriter('csv', [
      { name: 'name', type: 'string' },
      { name: 'amount', type: 'decimal' },
      { name: 'n', type: 'integer' },
    ]);
    const rows = [
      { name: 'A, "quoted"\nname', amount: '-10.00', n: 1 },
      { name: 'Ürün', amount: null, n: 2 },
    ];
    const text = writer.head() + rows.map((r, i) => writer.row(r, i)).join('') + writer.tail();
    expect(text.startsWith('name,amount,n\r\n')).toBe(true);
    expect(parseCsv(text, { columns: true })).toEqual([
      { name: 'A, "quoted"\nname', amount: '-10.00', n: '1' },
      { name: 'Ürün', amount: '', n: '2' },
    ]);
  });

  it('writes one JSON array, and one JSON object per NDJSON line', () => {
    const rows = [{ a: 1 }, { a: 2 }];
    const json = rowWriter('json', [{ name: 'a', type: 'integer' }]);
    expect(JSON.parse(json.head() + rows.map((r, i) => json.row(r, i)).join('') + json.tail())).toEqual(rows);
    expect(JSON.parse(json.head() + json.tail())).toEqual([]);
    const ndjson = rowWriter('ndjson', [{ name: 'a', type: 'integer' }]);
    expect(rows.map((r, i) => ndjson.row(r, i)).join('')).toBe('{"a":1}\n{"a":2}\n');
  });
});
