import type { DataSource } from 'typeorm';
import { markPrimaryReads, readsMayUseReplica } from './deadline';

/**
 * A read that may be answered by the replica: a SELECT that takes no lock,
 * asks for no sequence value and no lock function. Anything else, and every
 * statement of a transaction, goes to the primary.
 */
const PLAIN_READ = /^\s*(SELECT|WITH)\b/i;
const NOT_PLAIN = /\b(FOR\s+UPDATE|LOCK\s+IN\s+SHARE\s+MODE|GET_LOCK|RELEASE_LOCK|IS_FREE_LOCK|NEXTVAL|LASTVAL|SETVAL|LAST_INSERT_ID)\b/i;

export function isPlainRead(sql: string): boolean {
  return PLAIN_READ.test(sql) && !NOT_PLAIN.test(sql);
}

/**
 * Sends the reads of read-only requests to the replica of a data source
 * opened with `<SUBGRAPH>_DATABASE_READ_URL` (TypeORM replication); does
 * nothing for one without. Everything else stays on the primary:
 * transactions, writes, locks and sequences; every statement of a request
 * that writes (a mutation, or a peer call a mutation made, which says so in
 * PRIMARY_READS_HEADER), so that it reads its own writes; and work outside
 * a request (migrations, the outbox, rollups).
 */
export function routeReadsToReplica(dataSource: DataSource): void {
  const options = dataSource.options as { replication?: unknown };
  if (!options.replication) return;
  dataSource.defaultReplicationModeForReads = () => (readsMayUseReplica() ? 'slave' : 'master');
  const query = dataSource.query.bind(dataSource);
  dataSource.query = (async (sql: string, parameters?: unknown[], queryRunner?: Parameters<DataSource['query']>[2]) => {
    if (queryRunner || !readsMayUseReplica() || !isPlainRead(sql)) return query(sql, parameters, queryRunner);
    const replica = dataSource.createQueryRunner('slave');
    try {
      return await query(sql, parameters, replica);
    } finally {
      await replica.release();
    }
  }) as DataSource['query'];
}

/** Apollo plugin of a subgraph: a mutation reads from the primary for the rest of its request. */
export function primaryReadsForMutations() {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }: { operation?: { operation: string } | null }) {
          if (operation?.operation === 'mutation') markPrimaryReads();
        },
      };
    },
  };
}
