import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCROW_POLICY } from '@provisio/engine';
import { readWorkerConfig } from './config';

describe('readWorkerConfig', () => {
  it('has defaults and resolves the data folder against the working directory', () => {
    const c = readWorkerConfig({}, '/srv/provisio');
    expect(c).toMatchObject({
      dataDir: '/srv/provisio/data',
      pollMs: 1000,
      leaseMs: 30_000,
      concurrency: 8,
      jobsAtOnce: 4,
    });
    expect(c.workerId).toMatch(/-\d+$/);
    expect(c.defaults.escrowPolicy).toEqual(DEFAULT_ESCROW_POLICY);
    expect(c.defaults.retryPolicy.baseDelayMs).toBe(500);
    expect(c.targetPolicy).toEqual({ hosts: [], ranges: [] });
    expect(c.commitThread).toBe(false);
  });

  it('reads whether cycles commit on a thread of their own, and names the variable on a bad value', () => {
    expect(readWorkerConfig({ PROVISIO_WORKER_COMMIT_THREAD: 'on' }).commitThread).toBe(true);
    expect(readWorkerConfig({ PROVISIO_WORKER_COMMIT_THREAD: 'off' }).commitThread).toBe(false);
    expect(() => readWorkerConfig({ PROVISIO_WORKER_COMMIT_THREAD: 'sometimes' })).toThrow(
      "PROVISIO_WORKER_COMMIT_THREAD must be on or off (got 'sometimes').",
    );
  });

  it('keeps deleted users 30 days unless PROVISIO_DELETED_USER_DAYS says otherwise', () => {
    expect(readWorkerConfig({}).deletedUsers.days).toBe(30);
    expect(readWorkerConfig({ PROVISIO_DELETED_USER_DAYS: '7' }).deletedUsers.days).toBe(7);
    expect(() => readWorkerConfig({ PROVISIO_DELETED_USER_DAYS: '0' })).toThrow(/PROVISIO_DELETED_USER_DAYS/);
  });

  it('reads the hosts and ranges allowed beyond public https and loopback', () => {
    const c = readWorkerConfig({ PROVISIO_TARGET_ALLOW: 'scim.corp.example, 10.20.0.0/16' });
    expect(c.targetPolicy.hosts).toEqual(['scim.corp.example']);
    expect(c.targetPolicy.ranges.map((r) => r.text)).toEqual(['10.20.0.0/16']);
  });

  it('reads the environment', () => {
    const c = readWorkerConfig(
      {
        PROVISIO_DATA_DIR: '/var/lib/provisio',
        PROVISIO_WORKER_ID: 'w1',
        PROVISIO_WORKER_POLL_MS: '250',
        PROVISIO_LEASE_MS: '60000',
        PROVISIO_WORKER_CONCURRENCY: '4',
        PROVISIO_WORKER_JOBS: '2',
        PROVISIO_EXPORT_RETRY_DELAY: 'PT0.05S',
        PROVISIO_ESCROW_RETRY_SCHEDULE: 'PT1S, PT2S',
        PROVISIO_ESCROW_RETRY_INTERVAL: 'PT3S',
        PROVISIO_ESCROW_RETRY_WINDOW: 'PT1M',
      },
      '/ignored',
    );
    expect(c).toMatchObject({
      dataDir: '/var/lib/provisio',
      workerId: 'w1',
      pollMs: 250,
      leaseMs: 60_000,
      concurrency: 4,
      jobsAtOnce: 2,
    });
    expect(c.defaults.retryPolicy.baseDelayMs).toBe(50);
    expect(c.defaults.escrowPolicy).toEqual({
      retryAfterFirstFailureMs: [1000, 2000],
      thenEveryMs: 3000,
      giveUpAfterMs: 60_000,
    });
  });

  it.each([
    ['PROVISIO_WORKER_POLL_MS', 'soon'],
    ['PROVISIO_LEASE_MS', '500'],
    ['PROVISIO_WORKER_CONCURRENCY', '0'],
    ['PROVISIO_WORKER_JOBS', '0'],
    ['PROVISIO_ESCROW_RETRY_SCHEDULE', '6 hours'],
    ['PROVISIO_ESCROW_RETRY_WINDOW', '28d'],
    ['PROVISIO_TARGET_ALLOW', 'https://scim.corp.example'],
  ])('names the variable when %s=%s is invalid', (name, value) => {
    expect(() => readWorkerConfig({ [name]: value })).toThrow(name);
  });

  it('opens SQLite in the data folder unless PROVISIO_DATABASE_URL names a PostgreSQL database', () => {
    expect(readWorkerConfig({}, '/srv/provisio').database).toEqual({
      file: '/srv/provisio/data/provisio.db',
    });
    expect(
      readWorkerConfig({
        PROVISIO_DATABASE_URL: 'postgres://provisio@db.example.com/provisio',
        PROVISIO_DATABASE_POOL_SIZE: '20',
      }).database,
    ).toEqual({ url: 'postgres://provisio@db.example.com/provisio', poolSize: 20 });
    expect(() => readWorkerConfig({ PROVISIO_DATABASE_URL: 'mysql://db/provisio' })).toThrow(
      /PROVISIO_DATABASE_URL must be a PostgreSQL URL such as postgres:\/\//,
    );
    expect(() =>
      readWorkerConfig({
        PROVISIO_DATABASE_URL: 'postgres://db/provisio',
        PROVISIO_DATABASE_POOL_SIZE: 'lots',
      }),
    ).toThrow(
      'PROVISIO_DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (connections per process), not "lots".',
    );
    expect(() =>
      readWorkerConfig({
        PROVISIO_DATABASE_URL: 'postgres://db/provisio',
        PROVISIO_WORKER_COMMIT_THREAD: 'on',
      }),
    ).toThrow(/PROVISIO_WORKER_COMMIT_THREAD=on works with SQLite only/);
  });
});
