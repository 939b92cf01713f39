import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageRequest, toPage } from './pagination';

const isNumber = (v: unknown): v is number => typeof v === 'number';

function codeAndField(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected an error');
}

describe('cursors', () => {
  it('round-trip an opaque value', () => {
    const cursor = encodeCursor('customers', 42);
    expect(cursor).not.toContain('42');
    expect(decodeCursor('customers', cursor, isNumber)).toBe(42);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['another list', encodeCursor('invoices', 42)],
    ['a wrong key type', encodeCursor('customers', 'x')],
  ])('refuse %s', (_name, cursor) => {
    expect(codeAndField(() => decodeCursor('customers', cursor, isNumber))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('pageRequest', () => {
  it('defaults first to 20', () => {
    expect(pageRequest('t', undefined, undefined, isNumber)).toEqual({ first: 20, after: undefined });
    expect(pageRequest('t', null, null, isNumber).first).toBe(20);
  });

  it('accepts the cap and refuses more, or a negative first', () => {
    expect(pageRequest('t', MAX_PAGE_SIZE, null, isNumber).first).toBe(MAX_PAGE_SIZE);
    expect(codeAndField(() => pageRequest('t', MAX_PAGE_SIZE + 1, null, isNumber))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(codeAndField(() => pageRequest('t', -1, null, isNumber))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('toPage', () => {
  it('uses the extra row only to tell that more exist', () => {
    const page = toPage([1, 2, 3], 2, 't', (n) => n);
    expect(page.nodes).toEqual([1, 2]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor('t', page.pageInfo.endCursor!, isNumber)).toBe(2);
  });

  it('ends without a next page and with a null cursor when empty', () => {
    expect(toPage([1], 2, 't', (n) => n).pageInfo.hasNextPage).toBe(false);
    expect(toPage([], 2, 't', (n) => n).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
