import type { ProvisioDb } from '@provisio/db';

/**
 * Runs a read-then-write service call in one transaction (IMMEDIATE on SQLite) and hands `fn` the
 * transaction's repositories: every database call inside `fn` goes through `tx`, never the outer
 * `db`. A worker writes to the same database; an immediate transaction waits its turn and then
 * sees current data, where a deferred one that read first could fail when it then writes.
 * Called with a `tx`, it becomes a savepoint of that transaction.
 */
export function writeTransaction<T>(db: ProvisioDb, fn: (tx: ProvisioDb) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
