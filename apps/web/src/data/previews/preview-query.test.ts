import type { CyclePreview } from '@provisio/contracts';
import { describe, expect, it } from 'vitest';
import { IDLE_POLL_MS } from '../synchronization/jobs-query';
import { PREVIEW_RUNNING_POLL_MS, previewPollInterval } from './preview-query';

const preview = (patch: Partial<CyclePreview>): CyclePreview => ({
  id: 'p1',
  status: 'succeeded',
  counts: { create: 0, update: 1, disable: 0, delete: 0, skip: 0, staged: 0, failed: 0 },
  createdDateTime: '2026-03-10T12:00:00.000Z',
  completedDateTime: '2026-03-10T12:00:05.000Z',
  cycleKind: 'Incremental',
  progress: null,
  error: null,
  initiatedBy: { id: 'u1', displayName: 'admin' },
  staleReason: null,
  run: null,
  ...patch,
});

describe('previewPollInterval', () => {
  it.each([
    ['nothing loaded yet', undefined, false],
    ['running', preview({ status: 'running' }), PREVIEW_RUNNING_POLL_MS],
    ['ready to run', preview({}), IDLE_POLL_MS],
    ['stale', preview({ staleReason: 'The attribute mappings changed.' }), false],
    ['failed', preview({ status: 'failed', error: { code: 'x', message: 'y' } }), false],
    [
      'run',
      preview({
        run: {
          runDateTime: '2026-03-10T12:01:00.000Z',
          initiatedBy: { id: 'u1', displayName: 'admin' },
          changedSincePreview: 0,
        },
      }),
      false,
    ],
  ])('%s', (_name, value, expected) => {
    expect(previewPollInterval(value)).toBe(expected);
  });
});
