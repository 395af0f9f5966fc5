// Failure notifications: real mail over SMTP to a real SMTP server on loopback, which keeps what it
// receives. One message per event: a quarantine entered, a held deletion, a cycle that failed.
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '@provisio/mailer';
import { ProvisioningWorker } from '../src/index';
import { addUser, assign, mapInOrder, requestRun, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

interface Received {
  from: string;
  to: string[];
  data: string;
}

const received: Received[] = [];

/** The message as a person reads it: folded header lines joined, quoted-printable soft breaks and escapes undone. */
const readable = (data: string) =>
  data
    .replace(/\r\n[ \t]+/g, ' ')
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
let smtp: SMTPServer;
let port = 0;
let mailer: Mailer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as { port: number }).port;
  mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'provisio@contoso.com' });
});
afterAll(async () => {
  mailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const NOTIFY = JSON.stringify({ Enabled: true, Recipients: 'it@contoso.com' });

/** A worker like the suite's, with the mailer. */
function workerWithMail() {
  return new ProvisioningWorker({
    db: t.db,
    workerId: 'mail-worker',
    pollMs: 20,
    leaseMs: 30_000,
    concurrency: 4,
    log: (l) => t.logs.push(l),
    notify: (to, n) => mailer.send(to, n),
    portalUrl: 'http://127.0.0.1:3000',
  });
}

async function cycle(worker: ProvisioningWorker, jobId: string) {
  await requestRun(t.db, jobId);
  const report = await worker.runOnce();
  if (!report) throw new Error('no job was due');
  return report;
}

describe('failure notifications', () => {
  it('a quarantine sends one email to the recipients naming the application, the reason and the fix; the next quarantined cycle sends none', async () => {
    received.length = 0;
    const { spId, jobId } = await seedJob(t.db, t.app, {
      displayName: 'Mail App',
      token: 'wrong-token',
      secrets: { SyncNotificationSettings: NOTIFY },
    });
    await assign(t.db, spId, (await addUser(t.db, 'ana')).id);
    const worker = workerWithMail();
    try {
      await cycle(worker, jobId);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ from: 'provisio@contoso.com', to: ['it@contoso.com'] });
      const body = readable(received[0]?.data ?? '');
      expect(body).toContain(
        'Subject: Provisioning of Mail App is quarantined (EncounteredQuarantineException)',
      );
      expect(body).toContain('Secret Token');
      expect(body).toContain(`http://127.0.0.1:3000/applications/${spId}/provisioning`);

      // Still quarantined for the same reason: no second message.
      await cycle(worker, jobId);
      expect(received).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it('a held deletion sends one email; without recipients, none is sent', async () => {
    received.length = 0;
    const { spId, jobId } = await seedJob(t.db, t.app, {
      displayName: 'Deletes App',
      secrets: { SyncNotificationSettings: NOTIFY },
      settings: { QuarantineTooManyDeletesThreshold: '1' },
    });
    const assignments = await mapInOrder(['ana', 'ben'], async (n) =>
      assign(t.db, spId, (await addUser(t.db, n)).id),
    );
    const worker = workerWithMail();
    try {
      await cycle(worker, jobId);
      expect(received).toHaveLength(0);
      for (const a of assignments) await t.db.applications.deleteAssignment(a);
      await cycle(worker, jobId);
      expect(received).toHaveLength(1);
      expect(received[0]?.data).toContain(
        'Subject: Provisioning of Deletes App is quarantined (TooManyDeletes)',
      );

      // Notifications off: the same event sends nothing.
      received.length = 0;
      await t.db.jobs.setSecrets(jobId, {
        BaseAddress: t.app.scimBaseUrl,
        SecretToken: t.app.token,
        SyncNotificationSettings: JSON.stringify({ Enabled: false, Recipients: 'it@contoso.com' }),
      });
      await t.db.jobs.updateJob(jobId, {
        status: { ...(await t.db.jobs.getJob(jobId)).status, quarantine: null },
      });
      await cycle(worker, jobId);
      expect(received).toHaveLength(0);
    } finally {
      await worker.stop();
    }
  });
});
