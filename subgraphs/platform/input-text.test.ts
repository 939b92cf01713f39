import { parse } from 'graphql';
import { badTextPath, findBadText } from './input-text';
import { DateScalar, DateTimeScalar } from './scalars';

describe('text input', () => {
  it('finds a NUL or an unpaired surrogate anywhere in the variables, and names its path', () => {
    expect(badTextPath({ input: { subject: 'ok', notes: ['fine', 'bad\u0000'] } }, '')).toBe('input.notes[1]');
    expect(badTextPath({ input: { name: 'lone \ud800 high' } }, '')).toBe('input.name');
    expect(badTextPath({ input: { name: 'lone \udc00 low' } }, '')).toBe('input.name');
    expect(badTextPath({ input: { name: 'Zoë 😀 Straße', list: [1, null, true] } }, '')).toBeUndefined();
    expect(badTextPath(['fine', { k: 'x\u0000' }], 'variables')).toBe('variables[1].k');
    // A key that is not text is reported by its parent's path.
    expect(badTextPath({ input: { ['bad\u0000key']: 1 } }, '')).toBe('input');
  });

  it('finds them in literal arguments too', () => {
    const document = parse('mutation { logInteraction(input: { subject: "a\\u0000b" }) { id } }');
    expect(findBadText(document, {})).toBe('input.subject');
    expect(findBadText(parse('{ customers(filter: { search: "Müller 😀" }) { totalCount } }'), undefined)).toBeUndefined();
  });
});

describe('date ranges', () => {
  it('takes dates from 1900-01-01 to 9999-12-30 and refuses the rest without quoting them', () => {
    expect(DateScalar.parseValue('1900-01-01')).toBe('1900-01-01');
    expect(DateScalar.parseValue('9999-12-30')).toBe('9999-12-30');
    for (const bad of ['1899-12-31', '9999-12-31', '0000-01-01', '2026-02-30']) {
      expect(() => DateScalar.parseValue(bad)).toThrow(/^Date must/);
      try {
        DateScalar.parseValue(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });

  it('does the same for instants', () => {
    expect((DateTimeScalar.parseValue('1900-01-01T00:00:00Z') as Date).toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(() => DateTimeScalar.parseValue('1899-12-31T23:59:59Z')).toThrow('DateTime must lie between 1900-01-01 and 9999-12-30');
    expect(() => DateTimeScalar.parseValue('9999-12-31T00:00:00Z')).toThrow('DateTime must lie between 1900-01-01 and 9999-12-30');
    expect(() => DateTimeScalar.parseValue('not a time')).toThrow(/^DateTime must be an ISO-8601 instant/);
  });
});
