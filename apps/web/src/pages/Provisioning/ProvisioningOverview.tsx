import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowReset20Regular,
  DocumentBulletList20Regular,
  Eye20Regular,
  Play20Regular,
  PersonArrowRight20Regular,
  PlayCircle20Regular,
  RecordStop20Regular,
} from '@fluentui/react-icons';
import { quarantineFix, type SynchronizationJob } from '@provisio/contracts';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProvisioningActivity } from '../../components/log-summary/ProvisioningActivity';
import { useCan } from '../../data/auth/use-can';
import { usePreviewCreateMutation } from '../../data/previews/preview-create-mutation';
import { useJobPauseMutation } from '../../data/synchronization/job-pause-mutation';
import { useJobAllowDeletesMutation } from '../../data/synchronization/job-allow-deletes-mutation';
import { useJobRestartMutation } from '../../data/synchronization/job-restart-mutation';
import { useJobRunNowMutation } from '../../data/synchronization/job-run-now-mutation';
import { useJobStartMutation } from '../../data/synchronization/job-start-mutation';
import { useNow } from '../../hooks/use-now';
import { formatDateTime, formatDuration } from '../../lib/format';
import { paths } from '../../paths';
import { CyclesTable } from './CyclesTable';
import { TargetCheckPanel } from './TargetCheckPanel';
import {
  ACTIVITY_LABEL,
  STATUS_TEXT,
  entryCount,
  executionSummary,
  formatNextCycle,
  isProvisioningOn,
} from './status-text';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  toolbar: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})`, flexWrap: 'wrap' },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))',
    gap: tokens.spacingHorizontalXXL,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  subheading: {
    margin: `0 0 ${tokens.spacingVerticalXS}`,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
  progress: { maxWidth: '520px' },
  live: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** How far the cycle's current phase is: its users, groups, memberships (of groups) or references (of users). */
function progressOf(job: SynchronizationJob): { completed: number; total: number; units: string } | null {
  const p = job.status.progress[0];
  if (!p || p.totalUnits <= 0) return null;
  return {
    completed: Math.min(p.completedUnits, p.totalUnits),
    total: p.totalUnits,
    units: p.units.toLowerCase(),
  };
}

/**
 * What the job is doing now: Queued from the moment Start, Restart or Run now asks for a cycle until
 * a worker takes it, then In progress with the cycle's progress, then the result; and when the next
 * cycle runs. The job's query polls every second while a cycle is queued or running (`live-poll.ts`).
 */
function CycleActivity({ job }: { job: SynchronizationJob }) {
  const styles = useStyles();
  const { activity, currentCycle: current, queuedDateTime, lastExecution: last } = job.status;
  const progress = progressOf(job);
  if (activity === 'InProgress' && current) {
    return (
      <Field
        className={styles.progress}
        label={`${current.cycleKind} cycle in progress`}
        hint={
          progress
            ? `${Math.round((progress.completed / progress.total) * 100)}% complete (${progress.completed.toLocaleString()} of ${progress.total.toLocaleString()} ${progress.units}) — started ${formatDateTime(current.timeBegan)}`
            : `Started ${formatDateTime(current.timeBegan)}`
        }
      >
        <ProgressBar
          value={progress ? progress.completed : undefined}
          max={progress ? progress.total : undefined}
          thickness="large"
        />
      </Field>
    );
  }
  if (activity === 'Queued') {
    return (
      <Text weight="semibold">
        {current
          ? `The ${current.cycleKind.toLowerCase()} cycle is queued: it resumes when the provisioning service picks it up.`
          : `A cycle is queued: it starts when the provisioning service picks it up (requested ${formatDateTime(queuedDateTime)}).`}
      </Text>
    );
  }
  if (last) {
    return (
      <Text weight="semibold">
        {executionSummary(last)} {formatDateTime(last.timeEnded)}.
      </Text>
    );
  }
  return <Text>No cycle has completed yet.</Text>;
}

/** "Next cycle: in 38 minutes, at 10:42", renewed as time passes. */
function NextCycle({ job }: { job: SynchronizationJob }) {
  const now = useNow();
  const { activity, nextCycleDateTime: next } = job.status;
  if (activity === 'InProgress') return null;
  return (
    <Text>
      Next cycle:{' '}
      {activity === 'Queued'
        ? 'now, once the provisioning service picks it up'
        : next
          ? formatNextCycle(next, now)
          : 'none while provisioning is off'}
    </Text>
  );
}

/**
 * Current cycle status, statistics to date and the lifecycle buttons of the provisioning
 * job, as on the Entra Provisioning Overview.
 */
export function ProvisioningOverview({
  servicePrincipalId,
  job,
  credentialsSaved,
}: {
  servicePrincipalId: string;
  job: SynchronizationJob | null;
  /** Provision on demand needs saved admin credentials, as in Entra. */
  credentialsSaved: boolean;
}) {
  const styles = useStyles();
  const can = useCan();
  const start = useJobStartMutation(servicePrincipalId);
  const pause = useJobPauseMutation(servicePrincipalId);
  const restart = useJobRestartMutation(servicePrincipalId);
  const allowDeletes = useJobAllowDeletesMutation(servicePrincipalId);
  const runNow = useJobRunNowMutation(servicePrincipalId);
  const preview = usePreviewCreateMutation(servicePrincipalId);
  const [confirmRestart, setConfirmRestart] = useState(false);
  const [confirmAllowDeletes, setConfirmAllowDeletes] = useState(false);
  const navigate = useNavigate();
  const logsLink = paths.application(servicePrincipalId, 'provisioning-logs');

  if (!job) {
    return (
      <section aria-labelledby="provisioning-overview" className={styles.root}>
        <h2 id="provisioning-overview" className={styles.heading}>
          Current cycle status
        </h2>
        <Text>
          {can.manage
            ? 'Provisioning is not configured yet. Enter the Tenant URL and Secret Token under Admin Credentials, select Test Connection, turn Provisioning Status On and Save.'
            : 'Provisioning is not configured yet.'}
        </Text>
      </section>
    );
  }

  const on = isProvisioningOn(job);
  const status = STATUS_TEXT[job.status.code];
  const current = job.status.currentCycle;
  const activity = job.status.activity;
  const last = job.status.lastExecution;
  const busy = start.isPending || pause.isPending || restart.isPending || runNow.isPending;
  const quarantine = job.status.quarantine;

  return (
    <section aria-labelledby="provisioning-overview" className={styles.root}>
      <div className={styles.row}>
        <h2 id="provisioning-overview" className={styles.heading}>
          Current cycle status
        </h2>
        <Badge
          appearance="tint"
          color={job.status.code === 'Quarantine' ? 'danger' : on ? 'success' : 'informative'}
          aria-label={`Status: ${status.label}`}
        >
          {status.label}
        </Badge>
        {activity === 'Idle' ? null : (
          <Badge
            appearance="filled"
            color={activity === 'Queued' ? 'informative' : 'brand'}
            aria-label={`Activity: ${ACTIVITY_LABEL[activity]}`}
          >
            {ACTIVITY_LABEL[activity]}
          </Badge>
        )}
      </div>
      <Toolbar aria-label="Provisioning commands" className={styles.toolbar}>
        {can.manage ? (
          <>
            {on ? (
              <ToolbarButton
                icon={<RecordStop20Regular />}
                disabled={busy}
                onClick={() => pause.mutate(job.id)}
              >
                Stop provisioning
              </ToolbarButton>
            ) : (
              <ToolbarButton icon={<Play20Regular />} disabled={busy} onClick={() => start.mutate(job.id)}>
                Start provisioning
              </ToolbarButton>
            )}
            <ToolbarButton
              icon={<ArrowReset20Regular />}
              disabled={busy}
              onClick={() => setConfirmRestart(true)}
            >
              Restart provisioning
            </ToolbarButton>
            <ToolbarButton
              icon={<PlayCircle20Regular />}
              disabled={busy || activity !== 'Idle'}
              onClick={() => runNow.mutate(job.id)}
            >
              Run now
            </ToolbarButton>
            <ToolbarButton
              icon={<Eye20Regular />}
              disabled={!credentialsSaved || preview.isPending}
              title={
                credentialsSaved
                  ? 'See what the next cycle would do to each object, without changing anything in the application'
                  : 'Save the admin credentials first'
              }
              onClick={() =>
                preview.mutate(job.id, {
                  onSuccess: (created) => void navigate(paths.preview(servicePrincipalId, created.id)),
                })
              }
            >
              Preview next cycle
            </ToolbarButton>
            <ToolbarButton
              icon={<PersonArrowRight20Regular />}
              disabled={!credentialsSaved}
              title={credentialsSaved ? undefined : 'Save the admin credentials first'}
              onClick={() => void navigate(paths.provisionOnDemand(servicePrincipalId))}
            >
              Provision on demand
            </ToolbarButton>
          </>
        ) : null}
        <Link to={logsLink} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, marginLeft: 8 }}>
          <DocumentBulletList20Regular aria-hidden />
          View provisioning logs
        </Link>
      </Toolbar>

      {quarantine ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Provisioning has been quarantined</MessageBarTitle>
            Reason: {quarantine.reason}
            {quarantine.error ? ` — ${quarantine.error.message}` : ''}. Since{' '}
            {formatDateTime(quarantine.currentBegan)}; next attempt {formatDateTime(quarantine.nextAttempt)}.{' '}
            {quarantineFix(quarantine.reason)}
            {quarantine.reason === 'TooManyDeletes' && can.manage ? (
              <>
                {' '}
                The held removals are listed in the provisioning logs with the action StagedDelete.
                <div style={{ marginTop: 8 }}>
                  <Button
                    appearance="primary"
                    disabled={allowDeletes.isPending}
                    onClick={() => setConfirmAllowDeletes(true)}
                  >
                    Allow deletes
                  </Button>
                </div>
              </>
            ) : null}
          </MessageBarBody>
        </MessageBar>
      ) : null}

      <Text>{status.description}</Text>

      <div aria-live="polite" className={styles.live}>
        <CycleActivity job={job} />
        <NextCycle job={job} />
      </div>

      {last?.error ? (
        <MessageBar intent={last.state === 'Failed' ? 'error' : 'warning'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{last.error.code}</MessageBarTitle>
            {last.error.message}
          </MessageBarBody>
        </MessageBar>
      ) : null}

      <div className={styles.columns}>
        <div>
          <h3 className={styles.subheading}>Statistics to date</h3>
          <dl className={styles.facts}>
            <dt>Users</dt>
            <dd>{entryCount(job, 'user').toLocaleString()}</dd>
            <dt>Groups</dt>
            <dd>{entryCount(job, 'group').toLocaleString()}</dd>
            <dt>Job ID</dt>
            <dd>{job.id}</dd>
          </dl>
        </div>
        {last ? (
          <div>
            <h3 className={styles.subheading}>Last cycle</h3>
            <dl className={styles.facts}>
              <dt>Type</dt>
              <dd>{last.cycleKind}</dd>
              <dt>Completed</dt>
              <dd>{formatDateTime(last.timeEnded)}</dd>
              <dt>Duration</dt>
              <dd>{formatDuration(last.timeBegan, last.timeEnded)}</dd>
              <dt>Imported / exported</dt>
              <dd>
                {last.countImported.toLocaleString()} / {last.countExported.toLocaleString()}
              </dd>
              <dt>Escrowed</dt>
              <dd>{last.countEscrowed.toLocaleString()}</dd>
              <dt>Activity ID</dt>
              <dd>{last.activityIdentifier}</dd>
            </dl>
          </div>
        ) : null}
      </div>

      <ProvisioningActivity servicePrincipalId={servicePrincipalId} headingLevel={3} />

      <TargetCheckPanel
        servicePrincipalId={servicePrincipalId}
        jobId={job.id}
        credentialsSaved={credentialsSaved}
      />

      <div>
        <h3 className={styles.subheading}>Recent cycles</h3>
        <CyclesTable
          servicePrincipalId={servicePrincipalId}
          jobId={job.id}
          running={activity !== 'Idle'}
          latestCycleId={current?.cycleId ?? last?.activityIdentifier}
        />
      </div>

      <ConfirmDialog
        open={confirmRestart}
        title="Restart provisioning"
        busy={restart.isPending}
        onCancel={() => setConfirmRestart(false)}
        onConfirm={() => restart.mutate(job.id, { onSettled: () => setConfirmRestart(false) })}
      >
        Restarting clears the watermark, the escrowed failures and any quarantine, and runs a full initial
        cycle that evaluates every user and group again. Links to accounts already in the application are
        kept. Do you want to restart provisioning?
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmAllowDeletes}
        title="Allow deletes"
        busy={allowDeletes.isPending}
        onCancel={() => setConfirmAllowDeletes(false)}
        onConfirm={() => allowDeletes.mutate(job.id, { onSettled: () => setConfirmAllowDeletes(false) })}
      >
        The next cycle carries out every removal the accidental deletion threshold held back: the accounts
        listed as StagedDelete in the provisioning logs are disabled or deleted in the application. Do you
        want to allow the deletes?
      </ConfirmDialog>
    </section>
  );
}
