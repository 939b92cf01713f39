import { badUserInput } from './errors';

/** `first` when the client sends none (contract). */
export const DEFAULT_PAGE_SIZE = 20;
/**
 * The largest `first` any connection accepts. Larger values are refused with
 * BAD_USER_INPUT rather than silently cut. 1,000 lets bulk exports page in
 * reasonably few round trips.
 */
export const MAX_PAGE_SIZE = 1000;
/**
 * The largest page of Query.customerColumns: a page as columns costs each
 * subgraph one statement and the gateway a few lists, so its fixed cost per
 * page (about 50 ms of CPU over all services on the large seed) is what
 * larger pages spread.
 */
export const MAX_COLUMNS_PAGE_SIZE = 5000;

export interface PageRequest<K> {
  /** Rows to return. */
  first: number;
  /** Decoded position after which the page starts; undefined for the first page. */
  after: K | undefined;
}

/**
 * Cursors are opaque to clients: base64url of a small JSON value holding the
 * sort key of the last row. A tag guards against passing one connection's
 * cursor to another.
 */
export function encodeCursor(tag: string, key: unknown): string {
  return Buffer.from(JSON.stringify([tag, key]), 'utf8').toString('base64url');
}

export function decodeCursor<K>(tag: string, cursor: string, isKey: (value: unknown) => value is K): K {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput('after', 'after is not a cursor of this list');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== tag || !isKey(parsed[1])) {
    throw badUserInput('after', 'after is not a cursor of this list');
  }
  return parsed[1];
}

/** Validates `first`/`after` of a connection field. */
export function pageRequest<K>(
  tag: string,
  first: number | null | undefined,
  after: string | null | undefined,
  isKey: (value: unknown) => value is K,
  max = MAX_PAGE_SIZE,
): PageRequest<K> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0) throw badUserInput('first', 'first must be zero or a positive integer');
  if (size > max) throw badUserInput('first', `first must be at most ${max}`);
  return { first: size, after: after == null ? undefined : decodeCursor(tag, after, isKey) };
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Turns `first + 1` fetched rows into a page: the extra row only tells that
 * another page exists.
 */
export function toPage<T>(rows: T[], first: number, tag: string, keyOf: (row: T) => unknown): Page<T> {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last === undefined ? null : encodeCursor(tag, keyOf(last)),
    },
  };
}
