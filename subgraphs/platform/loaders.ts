import DataLoader from 'dataloader';

/** Groups rows by a key, in the order of `keys` (what a DataLoader batch returns). */
export function groupBy<T, K = string>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

/** A loader for one row per key (null when missing), fetched with one statement per batch. */
export function oneByKey<T, K = string>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (row: T) => K,
): DataLoader<K, T | null> {
  return new DataLoader(async (keys) => {
    const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** A loader for all rows of each key, fetched with one statement per batch. */
export function manyByKey<T, K = string>(
  fetch: (keys: readonly K[]) => Promise<T[]>,
  keyOf: (row: T) => K,
): DataLoader<K, T[]> {
  return new DataLoader(async (keys) => groupBy(keys, await fetch(keys), keyOf));
}
