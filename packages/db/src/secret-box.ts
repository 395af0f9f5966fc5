import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Seals provisioning secrets (Secret Token and the rest) with AES-256-GCM, so
 * they are encrypted at rest in the database. The key lives outside the
 * database: `PROVISIO_SECRET_KEY` (base64, 32 bytes) or a key file created on
 * first start with owner-only permissions.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('The secret key must be 32 bytes (base64 of 32 random bytes).');
    return new SecretBox(key);
  }

  /** Uses `PROVISIO_SECRET_KEY` when set, else the key file, creating it if missing. */
  static load(keyFile: string, envValue: string | undefined = process.env.PROVISIO_SECRET_KEY): SecretBox {
    if (envValue) return SecretBox.fromKey(Buffer.from(envValue, 'base64'));
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
      chmodSync(keyFile, 0o600);
    }
    return SecretBox.fromKey(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join('.');
  }

  open<T>(sealed: string): T {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unrecognised sealed secret format.');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
