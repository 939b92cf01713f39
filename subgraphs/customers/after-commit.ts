import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { createLogger, safeError } from '../platform/logger';

/** Where a transaction's callbacks wait for its end: the query runner's data, which TypeORM keeps for subscribers. */
const KEY = 'c360AfterCommit';

type Pending = { [KEY]?: (() => void)[] };

function take(runner: QueryRunner): (() => void)[] {
  const data = runner.data as Pending;
  const callbacks = data[KEY] ?? [];
  delete data[KEY];
  return callbacks;
}

/**
 * Runs the callbacks of a transaction once it has committed, and drops them
 * when it rolls back. A savepoint's commit (a nested transaction) leaves the
 * outer one open, so callbacks wait for the outermost.
 */
class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    for (const callback of take(event.queryRunner)) {
      try {
        callback();
      } catch (error) {
        // The data is committed; a failing callback must not turn the write into an error.
        createLogger('db').error({ err: safeError(error) }, 'after-commit callback failed');
      }
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) take(event.queryRunner);
  }
}

const hooked = new WeakSet<DataSource>();

/**
 * Calls `callback` after the transaction of `manager` has committed; never
 * if it rolls back. This is how a write wakes up work that must only see
 * committed data and must not run inside the transaction (a network call).
 * Outside a transaction the write is already committed: it runs at once.
 */
export function afterCommit(manager: EntityManager, callback: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  // The data source the transaction runs on (with the embedded SQLite: its writer connection).
  const dataSource = runner.dataSource;
  if (!hooked.has(dataSource)) {
    dataSource.subscribers.push(new AfterCommitSubscriber());
    hooked.add(dataSource);
  }
  ((runner.data as Pending)[KEY] ??= []).push(callback);
}
