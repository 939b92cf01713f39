import DataLoader from 'dataloader';
import { badUserInput } from './errors';
import { markIdRange } from './id-range';
import { MAX_COLUMNS_PAGE_SIZE } from './pagination';

/** Groups rows by a key, in the order of `keys` (what a DataLoader batch returns). */
export function groupBy<T, K = string>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

/**
 * A DataLoader that can also answer a whole column (loadColumn) with one call
 * of its batch function. A column of 2,000 ids through `loadMany` costs a
 * promise and a cache entry per id for every field that reads it (billing's
 * four columns read one batch): measured at about a third of each peer's CPU
 * per page of the customers export. Columns are memoised per ids array, so
 * the fields of one page share one statement; they do not go through the
 * per-key cache, which a page of columns never shares with Customer fields.
 */
export class ColumnLoader<K, V> extends DataLoader<K, V> {
  private readonly columns = new WeakMap<readonly K[], Promise<V[]>>();

  constructor(private readonly batch: (keys: readonly K[]) => Promise<V[]>) {
    super(batch);
  }

  /** The value of every key, in order, from one call of the batch function per `keys` array; none for an empty page (as loadMany: `IN ()` is no SQL). */
  column(keys: readonly K[]): Promise<V[]> {
    if (keys.length === 0) return Promise.resolve([]);
    let values = this.columns.get(keys);
    if (!values) {
      values = this.batch(keys);
      this.columns.set(keys, values);
    }
    return values;
  }
}

/** A loader for one row per key (null when missing), fetched with one statement per batch. */
export function oneByKey<T, K = string>(fetch: (keys: readonly K[]) => Promise<T[]>, keyOf: (row: T) => K): ColumnLoader<K, T | null> {
  return new ColumnLoader(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A loader for all rows of each key, fetched with one statement per batch. */
export function manyByKey<T, K = string>(fetch: (keys: readonly K[]) => Promise<T[]>, keyOf: (row: T) => K): ColumnLoader<K, T[]> {
  return new ColumnLoader(async (keys) => groupBy(keys, await fetch(keys), keyOf));
}

/** A loader for one value per key computed from a Map (e.g. a GROUP BY), with a default for absent keys. */
export function valueByKey<V, K = string>(fetch: (keys: readonly K[]) => Promise<Map<K, V>>, absent: V): ColumnLoader<K, V> {
  return new ColumnLoader(async (keys) => {
    const values = await fetch(keys);
    return keys.map((k) => (values.has(k) ? values.get(k)! : absent));
  });
}

/**
 * Loaders that differ by arguments: a field such as
 * `interactions(first: 5, channels: [EMAIL])` batches all customers asked for
 * with the same arguments into one statement.
 */
export class LoaderFamily<K, V> {
  private readonly loaders = new Map<string, DataLoader<K, V>>();

  constructor(private readonly make: (args: string) => DataLoader<K, V>) {}

  /** The loader for these arguments; `args` must be a canonical string (e.g. JSON). */
  for(args: string): DataLoader<K, V> {
    let loader = this.loaders.get(args);
    if (!loader) {
      loader = this.make(args);
      this.loaders.set(args, loader);
    }
    return loader;
  }
}

/**
 * Every key's value, in the order of `keys`, as one batch (one statement per
 * loader): a column of a CustomerColumns page. The first failure is thrown,
 * since a column is whole or absent, never a list with holes.
 */
export async function loadColumn<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V[]> {
  const values = loader instanceof ColumnLoader ? await (loader as ColumnLoader<K, V>).column(keys) : await loader.loadMany(keys);
  for (const value of values) if (value instanceof Error) throw value;
  return values as V[];
}

/**
 * The customer ids of a CustomerColumns page sent to a subgraph as its key
 * (`@key(fields: "ids")`). The gateway sends pages of at most MAX_COLUMNS_PAGE_SIZE (`maxIds`, default);
 * anything longer is refused rather than served at any size. With
 * `idRangeDense` true (REQUIRES_ID_RANGE), the ids may be read as one range
 * (whereCustomerIds).
 */
export function columnIds(page: { ids?: unknown; idRangeDense?: unknown }, maxIds = MAX_COLUMNS_PAGE_SIZE): string[] {
  const ids = page.ids;
  if (!Array.isArray(ids) || ids.length > maxIds || !ids.every((id) => typeof id === 'string')) {
    throw badUserInput('ids', `ids must be a list of at most ${maxIds} customer ids`);
  }
  markIdRange(ids as string[], page.idRangeDense);
  return ids as string[];
}

/**
 * A column the gateway sent with a page (`@requires`): null when its subgraph
 * could not answer, else exactly one entry per id. Anything else is refused,
 * so that no entry is read from the wrong customer.
 */
export function requiredColumn<T>(page: object, name: string, ids: readonly string[]): T[] | null {
  const column = (page as Record<string, unknown>)[name];
  if (column === null || column === undefined) return null;
  if (!Array.isArray(column) || column.length !== ids.length) throw badUserInput(name, `${name} must hold one entry per id`);
  return column as T[];
}
