import nodemailer from 'nodemailer';
import type { Notification } from '@provisio/engine';

/** Sends notifications over SMTP. */
export interface Mailer {
  send(recipients: string[], notification: Notification): Promise<void>;
  close(): void;
}

/**
 * A mailer for `smtpUrl` (`smtp://user:password@host:587`, `smtps://…` for implicit TLS), sending
 * as `from`. One message per notification, to all its recipients.
 */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(recipients, notification) {
      await transport.sendMail({
        from,
        to: recipients,
        subject: notification.subject,
        text: notification.text,
      });
    },
    close: () => transport.close(),
  };
}
