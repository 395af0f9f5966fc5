// The commit thread (see commit-thread.ts): its own connection to the database, and a loop that
// commits the groups of writes it is sent, those that arrived together in one transaction.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openProvisioDb, SecretBox } from '@provisio/db';
import {
  commitRequestFromJson,
  type CommitReply,
  type CommitRequest,
  type CommitThreadData,
} from './commit-thread';
import { commitGroup } from './durable-writer';

const data = workerData as CommitThreadData;
if (!parentPort) throw new Error('commit-thread-main runs as a worker thread of the worker process.');
const port: MessagePort = parentPort;
const db = openProvisioDb({
  file: data.databaseFile,
  secretBox: SecretBox.load(data.secretKeyFile),
  ...(data.walAutocheckpointPages !== undefined
    ? { walAutocheckpointPages: data.walAutocheckpointPages }
    : {}),
});

let pending: CommitRequest[] = [];
let committing = false;
let commits = 0;

async function commitPending(): Promise<void> {
  const requests = pending;
  pending = [];
  if (requests.length === 0) return;
  committing = true;
  const ids = requests.map((r) => r.id);
  let reply: CommitReply;
  try {
    await commitGroup(
      db,
      requests.flatMap((r) => r.writes),
    );
    commits += 1;
    reply = { ids, commit: commits };
  } catch (error) {
    // Nothing of these groups was committed: each caller learns it (a defect, not a target failure).
    reply = { ids, commit: commits, error: describeError(error) };
  } finally {
    committing = false;
  }
  port.postMessage(reply);
  // Groups that arrived during the commit go together in the next one.
  if (pending.length > 0) setImmediate(() => void commitPending());
}

port.on('message', (message: string) => {
  const request = commitRequestFromJson(message);
  // Groups that arrive while one commits wait for the next turn and go in one transaction.
  if (pending.length === 0 && !committing) setImmediate(() => void commitPending());
  pending.push(request);
});

/** An error's message, with its cause's: a database error names the constraint it broke there. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
