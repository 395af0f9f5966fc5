import { Badge, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { Warning16Filled } from '@fluentui/react-icons';
import type { ProvisioningHealthApplication } from '@provisio/contracts';
import { ACTIVITY_LABEL, STATUS_TEXT } from '../pages/Provisioning/status-text';

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  warning: { color: tokens.colorPaletteRedForeground1, display: 'inline-flex' },
});

/**
 * One application's provisioning in a list cell: In progress (with how far), Queued, or the job's
 * status, and a warning whose tooltip gives the first reason it needs attention.
 */
export function ProvisioningState({ health }: { health: ProvisioningHealthApplication | undefined }) {
  const styles = useStyles();
  if (!health) return <Text>Not configured</Text>;
  const { activity, progress, issues } = health;
  const done =
    progress && progress.totalUnits > 0
      ? ` ${Math.round((Math.min(progress.completedUnits, progress.totalUnits) / progress.totalUnits) * 100)}%`
      : '';
  const issue = issues[0];
  return (
    <span className={styles.root}>
      {activity === 'Idle' ? (
        <Text>{STATUS_TEXT[health.statusCode].label}</Text>
      ) : (
        <Badge appearance="tint" color={activity === 'Queued' ? 'informative' : 'brand'}>
          {`${ACTIVITY_LABEL[activity]}${activity === 'InProgress' ? done : ''}`}
        </Badge>
      )}
      {issue ? (
        <Tooltip content={issue.reason} relationship="description">
          <span
            className={styles.warning}
            role="img"
            aria-label={`Needs attention: ${issue.reason}`}
            tabIndex={0}
          >
            <Warning16Filled />
          </span>
        </Tooltip>
      ) : null}
    </span>
  );
}
