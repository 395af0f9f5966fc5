import type { Explanation } from '@provisio/contracts';
import { formatDateTime } from '../../lib/format';

/** The action of the next cycle, as the verb of the one-sentence answer. */
const WILL: Record<Explanation['action'], string> = {
  create: 'create',
  update: 'update',
  disable: 'disable',
  delete: 'delete',
  staged: 'stage the deletion of',
  skip: 'provision',
  failed: 'provision',
  none: 'provision',
};

/**
 * "The next cycle will (not) … Ana in Contoso.", or, when a failed export of Ana waits in escrow,
 * "The first cycle after 3/14/2026, 9:05:12 AM will …".
 */
export function explanationSentence(explanation: Explanation, name: string, appName: string): string {
  const cycle = explanation.retryAt
    ? `The first cycle after ${formatDateTime(explanation.retryAt)}`
    : 'The next cycle';
  return explanation.willProvision
    ? `${cycle} will ${WILL[explanation.action]} ${name} in ${appName}.`
    : `The next cycle will not provision ${name} in ${appName}.`;
}
