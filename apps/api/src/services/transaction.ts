import type { ProvisioDb } from '@provisio/db';

/**
 * Runs a read-then-write service call in one IMMEDIATE transaction. A worker
 * writes to the same database file; a deferred transaction that read first
 * would fail with SQLITE_BUSY when it tries to write after the worker did,
 * whereas an immediate one waits its turn (busy timeout) and then sees
 * current data. Nested calls become savepoints of the outer transaction.
 */
export function writeTransaction<T>(db: ProvisioDb, fn: () => T): T {
  return db.sqlite.inTransaction ? db.sqlite.transaction(fn)() : db.sqlite.transaction(fn).immediate();
}
