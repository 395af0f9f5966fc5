import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from './concurrency';
import { readWorkerConfig } from './config';

describe('readWorkerConfig', () => {
  it('has defaults and resolves the data folder against the working directory', () => {
    const c = readWorkerConfig({}, '/srv/provisio');
    expect(c).toMatchObject({ dataDir: '/srv/provisio/data', pollMs: 1000, leaseMs: 30_000, concurrency: 8 });
    expect(c.workerId).toMatch(/-\d+$/);
  });

  it('reads the environment', () => {
    expect(
      readWorkerConfig(
        {
          PROVISIO_DATA_DIR: '/var/lib/provisio',
          PROVISIO_WORKER_ID: 'w1',
          PROVISIO_WORKER_POLL_MS: '250',
          PROVISIO_LEASE_MS: '60000',
          PROVISIO_WORKER_CONCURRENCY: '4',
        },
        '/ignored',
      ),
    ).toEqual({ dataDir: '/var/lib/provisio', workerId: 'w1', pollMs: 250, leaseMs: 60_000, concurrency: 4 });
  });

  it.each([
    ['PROVISIO_WORKER_POLL_MS', 'soon'],
    ['PROVISIO_LEASE_MS', '500'],
    ['PROVISIO_WORKER_CONCURRENCY', '0'],
  ])('names the variable when %s=%s is invalid', (name, value) => {
    expect(() => readWorkerConfig({ [name]: value })).toThrow(name);
  });
});

describe('forEachConcurrently', () => {
  it('keeps at most `limit` tasks in flight and stops starting new ones when asked', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachConcurrently(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight -= 1;
        done.push(i);
      },
      () => done.length >= 10,
    );
    expect(peak).toBe(3);
    expect(done.length).toBeGreaterThanOrEqual(10);
    expect(done.length).toBeLessThan(20);
  });

  it('rethrows the first error after the tasks in flight settle', async () => {
    const settled: number[] = [];
    await expect(
      forEachConcurrently(
        [1, 2, 3, 4],
        2,
        async (i) => {
          await new Promise((r) => setTimeout(r, i));
          if (i === 1) throw new Error('boom');
          settled.push(i);
        },
        () => false,
      ),
    ).rejects.toThrow('boom');
    expect(settled).toContain(2);
  });
});
