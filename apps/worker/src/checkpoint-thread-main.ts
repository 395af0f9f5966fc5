// The checkpoint thread (see checkpoint-thread.ts): its own connection to the database, and a timer
// that copies what the write-ahead log holds into the database file.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '@provisio/db';
import type { CheckpointThreadData } from './checkpoint-thread';

const data = workerData as CheckpointThreadData;
if (!parentPort) throw new Error('checkpoint-thread-main runs as a worker thread of the worker process.');
const port = parentPort;
const db = openSqlite(data.databaseFile);

const timer = setInterval(() => {
  try {
    // PASSIVE: copies the frames no reader still needs, without waiting for any lock, so the
    // writers and readers of every process go on meanwhile.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    port.postMessage(error instanceof Error ? error.message : String(error));
  }
}, data.intervalMs);

port.on('message', () => {
  clearInterval(timer);
  db.close();
  port.close();
});
