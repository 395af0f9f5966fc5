import nodemailer from 'nodemailer';

/** One message: a subject and a plain-text body. */
export interface MailMessage {
  subject: string;
  text: string;
}

/** Sends mail over SMTP. */
export interface Mailer {
  /** The sender every message carries. */
  readonly from: string;
  send(recipients: string[], message: MailMessage): Promise<void>;
  close(): void;
}

/** The mail server settings of a process; null when none is configured. */
export interface MailConfig {
  url: string;
  from: string;
}

/**
 * Reads PROVISIO_SMTP_URL (`smtp://user:password@host:587`, `smtps://…` for implicit TLS) and
 * PROVISIO_SMTP_FROM (default `provisio@<smtp host>`); null without a URL. Throws naming the
 * variable on a bad value.
 */
export function readMailConfig(env: NodeJS.ProcessEnv): MailConfig | null {
  const url = env.PROVISIO_SMTP_URL?.trim();
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `PROVISIO_SMTP_URL must be a URL such as smtp://user:password@mail.contoso.com:587 (got '${url}').`,
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error(`PROVISIO_SMTP_URL must start with smtp:// or smtps:// (got '${parsed.protocol}').`);
  const from = env.PROVISIO_SMTP_FROM?.trim() || `provisio@${parsed.hostname}`;
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(from.replace(/^.*<(.*)>$/, '$1')))
    throw new Error(`PROVISIO_SMTP_FROM must be an email address (got '${from}').`);
  return { url, from };
}

/** A mailer for the configured server: one message per call, to all its recipients. */
export function createMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(config.url);
  return {
    from: config.from,
    async send(recipients, message) {
      await transport.sendMail({
        from: config.from,
        to: recipients,
        subject: message.subject,
        text: message.text,
      });
    },
    close: () => transport.close(),
  };
}
