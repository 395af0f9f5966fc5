import type { CyclePreviewCounts, CyclePreviewObject, PreviewAction } from '@provisio/contracts';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import type { ObjectActionPlan } from './plan-object-action';
import type { ScopeResult } from './scoping';
import { causeText } from './skip-reasons';

export interface PreviewObjectInput {
  /** The provisioning event the cycle would write, built as for a cycle but with nothing exported. */
  event: ProvisioningObjectSummary;
  plan: ObjectActionPlan;
  scope: ScopeResult | null;
  /** The application could not be read for this object. */
  lookupFailed: boolean;
}

/**
 * What a preview shows of one object: the action the next cycle would take, why, and the
 * attributes it would change (old → new). Null for an object the cycle would not log at all (a
 * hard-deleted object the job never provisioned).
 *
 * @example previewObject({ event, plan: { kind: 'update', … }, scope, lookupFailed: false })
 *   // → { action: 'update', reason: '2 attributes differ from Contoso: title, department.', … }
 */
export function previewObject(input: PreviewObjectInput): CyclePreviewObject | null {
  const { event, plan } = input;
  if (plan.kind === 'none' && !input.lookupFailed) return null;
  const action = previewAction(input);
  const app = event.targetSystem.displayName;
  const type = event.sourceIdentity.identityType;
  const reason = (() => {
    const explained = event.provisioningStatusInfo.errorInformation?.reason ?? '';
    switch (action) {
      case 'create': {
        const matching = event.provisioningSteps.find((s) => s.provisioningStepType === 'matching');
        return `${matching ? `${matching.description}: the` : 'The'} ${type} would be created in ${app}.`;
      }
      case 'update': {
        const names = event.modifiedProperties.map((p) => p.displayName);
        return `${names.length} attribute${names.length === 1 ? '' : 's'} differ${names.length === 1 ? 's' : ''} from ${app}: ${names.join(', ')}.`;
      }
      case 'disable':
      case 'delete':
        return `${removalCause(input.scope, type)}: the ${type} would be ${action === 'disable' ? 'disabled in' : 'deleted from'} ${app}.`;
      default:
        return explained;
    }
  })();
  return {
    sourceIdentity: {
      id: event.sourceIdentity.id,
      displayName: event.sourceIdentity.displayName,
      identityType: type,
    },
    targetIdentity: {
      id: event.targetIdentity.id,
      displayName: event.targetIdentity.displayName,
      identityType: event.targetIdentity.identityType,
    },
    action,
    reason,
    modifiedProperties: event.modifiedProperties,
  };
}

function previewAction(input: PreviewObjectInput): PreviewAction {
  if (input.lookupFailed) return 'failed';
  switch (input.plan.kind) {
    case 'create':
    case 'update':
    case 'disable':
    case 'delete':
      return input.plan.kind;
    case 'skip':
      return input.plan.reason === 'StagedDelete' ? 'staged' : 'skip';
    default:
      return 'skip';
  }
}

/** Why an object would be removed: gone from the directory, no longer entitled, or out of the scoping filters. */
function removalCause(scope: ScopeResult | null, objectType: string): string {
  if (!scope) return 'It was deleted from the directory';
  if (scope.skip?.reason === 'NotEffectivelyEntitled' && scope.skip.causes.length > 0) {
    const text = scope.skip.causes.map((c) => causeText(objectType, c)).join('; and ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (scope.skip?.reason === 'OutOfScope') {
    const filters = scope.skip.failing.map((f) => `'${f.filter}'`).join(', ');
    return `It no longer meets the scoping filter${scope.skip.failing.length === 1 ? '' : 's'} ${filters}`;
  }
  return 'It left the scope of the job';
}

/** Adds one object's action to a preview's counts. */
export function countPreviewAction(counts: CyclePreviewCounts, action: PreviewAction): void {
  counts[action] += 1;
}
