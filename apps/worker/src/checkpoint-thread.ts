import type { Worker } from 'node:worker_threads';
import { startThread } from './threads';

/** What the checkpoint thread is given. */
export interface CheckpointThreadData {
  databaseFile: string;
  /** How often it checkpoints. */
  intervalMs: number;
}

/**
 * Checkpoints of the database's write-ahead log on a thread of the worker process
 * (`checkpoint-thread-main.ts`, with its own connection), instead of in a cycle's commits.
 *
 * SQLite copies the log into the database file when a commit finds the log past
 * `wal_autocheckpoint` pages, in that commit: with the worker's 10,000 pages, every 30th or so
 * group commit of an initial cycle took about 90 ms, during which the cycle's thread read no
 * response and sent no request (about 3 s of a 100,000-user cycle). On this thread the copy runs
 * beside the requests, a few times a second, so each takes little. The cycle's connection keeps its
 * `wal_autocheckpoint`: a passive checkpoint beside a busy writer never finds the log complete, so
 * only that commit's checkpoint starts the log over, and it finds most pages already copied.
 */
export class CheckpointThread {
  private readonly worker: Worker;
  private readonly ended: Promise<void>;

  constructor(data: CheckpointThreadData, log: (line: string) => void) {
    this.worker = startThread('checkpoint-thread-main', data, {
      maxYoungGenerationSizeMb: 1,
      maxOldGenerationSizeMb: 16,
    });
    this.worker.on('message', (error: string) => log(`wal checkpoint failed: ${error}`));
    this.worker.on('error', (error) => log(`checkpoint thread failed: ${error.message}`));
    this.ended = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Stops the timer, closes the thread's connection and waits for the thread to end. */
  async close(): Promise<void> {
    this.worker.postMessage('stop');
    await this.ended;
  }
}
