import type { CyclePreviewCounts, PreviewAction } from '@provisio/contracts';
import { PREVIEW_ACTIONS } from '@provisio/contracts';

export const PREVIEW_ACTION_LABEL: Record<PreviewAction, string> = {
  create: 'Create',
  update: 'Update',
  disable: 'Disable',
  delete: 'Delete',
  skip: 'Skip',
  staged: 'Staged delete',
  failed: 'Failed',
};

export const isPreviewAction = (value: string | null): value is PreviewAction =>
  (PREVIEW_ACTIONS as readonly string[]).includes(value ?? '');

export const totalCount = (counts: CyclePreviewCounts): number =>
  PREVIEW_ACTIONS.reduce((sum, action) => sum + counts[action], 0);

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "create 3, update 12, disable 1 and delete 0 objects" — what the cycle sends, for the confirmation. */
export function sentSummary(counts: CyclePreviewCounts): string {
  const parts = [
    `create ${counts.create.toLocaleString()}`,
    `update ${counts.update.toLocaleString()}`,
    `disable ${counts.disable.toLocaleString()}`,
  ];
  return `${parts.join(', ')} and delete ${plural(counts.delete, 'object', 'objects')}`;
}

/** What the cycle leaves alone or holds back, for the confirmation; empty when nothing is. */
export function heldSummary(counts: CyclePreviewCounts): string[] {
  const notes: string[] = [];
  if (counts.skip > 0) notes.push(`${plural(counts.skip, 'object is', 'objects are')} skipped.`);
  if (counts.staged > 0)
    notes.push(
      `${plural(counts.staged, 'removal is', 'removals are')} held back by the accidental deletion threshold.`,
    );
  if (counts.failed > 0)
    notes.push(
      `${plural(counts.failed, 'object', 'objects')} could not be read in the application; the cycle tries ${counts.failed === 1 ? 'it' : 'them'} again.`,
    );
  return notes;
}

/** The run's message: how many previewed objects the directory changed since, and what happens to them. */
export function changedSinceText(changed: number): string {
  if (changed === 0)
    return 'No previewed object changed in the directory since this preview: the cycle carries out the plan as shown.';
  return changed === 1
    ? '1 object changed in the directory since this preview; it is planned again as the cycle reaches it.'
    : `${changed.toLocaleString()} objects changed in the directory since this preview; they are planned again as the cycle reaches them.`;
}
