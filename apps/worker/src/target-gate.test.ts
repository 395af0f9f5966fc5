import { describe, expect, it } from 'vitest';
import { Interrupted, TargetGate } from './target-gate';

/** Lets every promise chain that can move on do so. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the target gate', () => {
  it('admits no more than the limit, then one waiter per answer, first come first served', async () => {
    const gate = new TargetGate(2, () => 0);
    const signal = new AbortController().signal;
    const admitted: number[] = [];
    for (let n = 0; n < 5; n += 1) void gate.acquire(signal).then(() => admitted.push(n));
    await settle();
    expect(admitted).toEqual([0, 1]);
    gate.done('ok');
    await settle();
    expect(admitted).toEqual([0, 1, 2]);
    gate.cancel();
    gate.done('ok');
    await settle();
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    expect(gate.requests).toBe(5);
  });

  it('lets a newcomer take a freed slot and keeps the woken waiter for the next one', async () => {
    const gate = new TargetGate(1, () => 0);
    const signal = new AbortController().signal;
    const admitted: string[] = [];
    await gate.acquire(signal);
    void gate.acquire(signal).then(() => admitted.push('waiter'));
    await settle();
    gate.done('ok');
    // Before the woken waiter runs, another request takes the slot.
    void gate.acquire(signal).then(() => admitted.push('newcomer'));
    await settle();
    expect(admitted).toEqual(['newcomer']);
    gate.done('ok');
    await settle();
    expect(admitted).toEqual(['newcomer', 'waiter']);
  });

  it('wakes every waiter of a stopped cycle, one answer after another, and none is admitted', async () => {
    const gate = new TargetGate(1, () => 0);
    const stop = new AbortController();
    await gate.acquire(stop.signal);
    const outcomes: string[] = [];
    for (let n = 0; n < 3; n += 1)
      void gate.acquire(stop.signal).then(
        () => outcomes.push('admitted'),
        (error: unknown) => outcomes.push(error instanceof Interrupted ? 'interrupted' : 'other'),
      );
    await settle();
    stop.abort();
    gate.done('ok');
    await settle();
    expect(outcomes).toEqual(['interrupted', 'interrupted', 'interrupted']);
    expect(gate.requests).toBe(1);
  });
});
