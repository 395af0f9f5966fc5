import { makeStyles, tokens } from '@fluentui/react-components';
import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { RESULT_LABEL } from '../../components/ResultIcon';
import { formatDateTime } from '../../lib/format';
import { ACTION_LABEL } from './labels';

const useStyles = makeStyles({
  heading: {
    margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(160px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
});

function Facts({ rows }: { rows: [string, string][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts}>
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value || '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Summary: the event's identifiers and the object in the source and the target. */
export function SummaryTab({ event }: { event: ProvisioningObjectSummary }) {
  const styles = useStyles();
  return (
    <>
      <h3 className={styles.heading}>Activity</h3>
      <Facts
        rows={[
          ['Date', formatDateTime(event.activityDateTime)],
          ['Action', ACTION_LABEL[event.provisioningAction]],
          ['Status', RESULT_LABEL[event.provisioningStatusInfo.status]],
          ['Duration', `${event.durationInMilliseconds.toLocaleString()} ms`],
          ['Change ID', event.changeId],
          ['Cycle ID', event.cycleId],
          ['Job ID', event.jobId],
          ['Event ID', event.id],
          ['Application', `${event.servicePrincipal.displayName} (${event.servicePrincipal.id})`],
          ['Initiated by', event.initiatedBy.displayName],
        ]}
      />
      <h3 className={styles.heading}>Source</h3>
      <Facts
        rows={[
          ['System', event.sourceSystem.displayName],
          ['Identity name', event.sourceIdentity.displayName],
          ['Identity ID', event.sourceIdentity.id],
          ['Identity type', event.sourceIdentity.identityType],
        ]}
      />
      <h3 className={styles.heading}>Target</h3>
      <Facts
        rows={[
          ['System', event.targetSystem.displayName],
          ['Identity name', event.targetIdentity.displayName],
          ['Identity ID', event.targetIdentity.id],
          ['Identity type', event.targetIdentity.identityType],
        ]}
      />
    </>
  );
}
