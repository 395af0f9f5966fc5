// Settings → Send test email: real mail to a real SMTP server on loopback.
import { createMailer, type Mailer } from '@provisio/mailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppWithJob, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';

const received: { to: string[]; data: string }[] = [];
let smtp: SMTPServer;
let mailer: Mailer;
let t: TestContext;
let unconfigured: TestContext;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  mailer = createMailer({ url: `smtp://127.0.0.1:${port}`, from: 'provisio@contoso.com' });
  t = await startTestApp({ mailer });
  unconfigured = await startTestApp();
});
afterAll(async () => {
  await t.close();
  await unconfigured.close();
  mailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const testUrl = (spId: string, jobId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/sendTestNotification`;

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'POST', url: testUrl(NO_ID, 'scim.0') },
    { method: 'GET', url: '/api/v1.0/mail' },
  ]);
});

describe('test email', () => {
  it('says whether mail is configured, and as whom', async () => {
    const on = await t.app.inject({ method: 'GET', url: '/api/v1.0/mail', headers: { cookie: t.admin } });
    expect(on.json()).toEqual({ configured: true, from: 'provisio@contoso.com' });
    const off = await unconfigured.app.inject({
      method: 'GET',
      url: '/api/v1.0/mail',
      headers: { cookie: unconfigured.admin },
    });
    expect(off.json()).toEqual({ configured: false, from: null });
  });

  it('sends one message to the Notification Email; without one, or without mail, says what to do', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Mail Test App');
    const none = await t.app.inject({
      method: 'POST',
      url: testUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).code).toBe('notification.no_recipients');

    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: {
        value: [{ key: 'SyncNotificationSettings', value: '{"Enabled":true,"Recipients":"it@contoso.com"}' }],
      },
    });
    expect(put.statusCode, put.body).toBe(204);
    const tooLong = `${'a'.repeat(300)}@contoso.com`;
    const long = await t.app.inject({
      method: 'PUT',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
      headers: { cookie: t.admin },
      payload: {
        value: [
          {
            key: 'SyncNotificationSettings',
            value: JSON.stringify({ Enabled: true, Recipients: tooLong }),
          },
        ],
      },
    });
    expect(long.statusCode).toBe(400);
    expect(errorOf(long).code).toBe('request.invalid');
    expect(errorOf(long).details?.[0]?.message).toMatch(
      /^The Notification Email can be at most 254 characters; .* has 312\.$/,
    );
    received.length = 0;
    const sent = await t.app.inject({
      method: 'POST',
      url: testUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ recipients: ['it@contoso.com'] });
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['it@contoso.com']);
    expect(received[0]?.data.replace(/\r\n[ \t]+/g, ' ')).toContain(
      'Subject: Test email from Provisio for Mail Test App',
    );

    const other = await createAppWithJob(unconfigured, 'No Mail App');
    const off = await unconfigured.app.inject({
      method: 'POST',
      url: testUrl(other.spId, other.jobId),
      headers: { cookie: unconfigured.admin },
    });
    expect(off.statusCode).toBe(400);
    expect(errorOf(off).code).toBe('notification.mail_not_configured');
  });
});
