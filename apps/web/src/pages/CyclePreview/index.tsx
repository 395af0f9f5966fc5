import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeft20Regular, Eye20Regular, Play20Regular } from '@fluentui/react-icons';
import type { CyclePreview, SynchronizationJob } from '@provisio/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { useCan } from '../../data/auth/use-can';
import { usePageStyles } from '../../components/page-styles';
import { usePreviewCreateMutation } from '../../data/previews/preview-create-mutation';
import { usePreviewQuery } from '../../data/previews/preview-query';
import { usePreviewRunMutation } from '../../data/previews/preview-run-mutation';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { useApplication } from '../../hooks/use-application';
import { formatDateTime, formatDuration } from '../../lib/format';
import { paths } from '../../paths';
import { isProvisioningOn } from '../Provisioning/status-text';
import { PreviewObjects } from './PreviewObjects';
import { changedSinceText, heldSummary, sentSummary } from './labels';

const useStyles = makeStyles({
  back: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  progress: { maxWidth: '520px' },
});

const KIND_TEXT: Record<'Initial' | 'Incremental', string> = {
  Initial: 'Initial cycle: every user and group in scope is evaluated.',
  Incremental: 'Incremental cycle: only what changed in the directory since the last cycle is evaluated.',
};

/** Creates a new preview of the job's next cycle and opens it. */
function usePreviewAgain(servicePrincipalId: string) {
  const create = usePreviewCreateMutation(servicePrincipalId);
  const navigate = useNavigate();
  return {
    isPending: create.isPending,
    start: (jobId: string) =>
      create.mutate(jobId, {
        onSuccess: (preview) => void navigate(paths.preview(servicePrincipalId, preview.id)),
      }),
  };
}

function Progress({ preview }: { preview: CyclePreview }) {
  const styles = useStyles();
  const progress = preview.progress && preview.progress.totalUnits > 0 ? preview.progress : null;
  const completed = progress ? Math.min(progress.completedUnits, progress.totalUnits) : 0;
  return (
    <Field
      className={styles.progress}
      label="Planning the next cycle"
      hint={
        progress
          ? `${completed.toLocaleString()} of ${progress.totalUnits.toLocaleString()} ${progress.units} planned`
          : 'Reading the directory and the application…'
      }
    >
      <ProgressBar
        value={progress ? completed : undefined}
        max={progress ? progress.totalUnits : undefined}
        thickness="large"
      />
    </Field>
  );
}

/** Run this plan, with a confirmation that states what the cycle sends and what turning it on means. */
function RunPlan({
  servicePrincipalId,
  job,
  preview,
  applicationName,
}: {
  servicePrincipalId: string;
  job: SynchronizationJob;
  preview: CyclePreview;
  applicationName: string;
}) {
  const run = usePreviewRunMutation(servicePrincipalId, job.id, preview.id);
  const [confirming, setConfirming] = useState(false);
  const ready = preview.status === 'succeeded' && !preview.staleReason;
  const title =
    preview.status === 'running'
      ? 'The preview is still planning'
      : preview.status === 'failed'
        ? 'The preview failed: preview the next cycle again'
        : (preview.staleReason ?? undefined);
  const on = isProvisioningOn(job);
  return (
    <>
      <Button
        appearance="primary"
        icon={run.isPending ? <Spinner size="tiny" /> : <Play20Regular />}
        disabled={!ready || run.isPending}
        title={title}
        onClick={() => setConfirming(true)}
      >
        Run this plan
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Run this plan"
        busy={run.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => run.mutate(undefined, { onSettled: () => setConfirming(false) })}
      >
        <p>
          A cycle starts now. As previewed, it would {sentSummary(preview.counts)} in {applicationName}.{' '}
          {heldSummary(preview.counts).join(' ')}
        </p>
        <p>
          Objects that changed in the directory since the preview are planned again as the cycle reaches them.
        </p>
        {on ? null : (
          <p>
            <strong>Provisioning is Off: running this plan turns provisioning On</strong>, so cycles then also
            run on the schedule.
          </p>
        )}
        <p>Do you want to run this plan now?</p>
      </ConfirmDialog>
    </>
  );
}

/** What the preview found, or why it has none, with Run this plan and what happened once it ran. */
function PreviewBody({
  servicePrincipalId,
  job,
  preview,
  applicationName,
}: {
  servicePrincipalId: string;
  job: SynchronizationJob;
  preview: CyclePreview;
  applicationName: string;
}) {
  const styles = useStyles();
  const can = useCan();
  const again = usePreviewAgain(servicePrincipalId);
  const previewAgain = can.manage ? (
    <Button icon={<Eye20Regular />} disabled={again.isPending} onClick={() => again.start(job.id)}>
      Preview again
    </Button>
  ) : null;
  const logs = paths.application(servicePrincipalId, 'provisioning-logs');

  return (
    <>
      {preview.run ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The cycle started.</MessageBarTitle>
            {changedSinceText(preview.run.changedSincePreview)} <Link to={logs}>View provisioning logs</Link>
            <div>
              Run {formatDateTime(preview.run.runDateTime)} by {preview.run.initiatedBy.displayName}.
            </div>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            {preview.status === 'running'
              ? `The preview reads ${applicationName} and changes nothing in it.`
              : `Nothing was changed in ${applicationName}: the preview only read it.`}
          </MessageBarBody>
        </MessageBar>
      )}

      {preview.staleReason && !preview.run ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This plan can no longer be run</MessageBarTitle>
            {preview.staleReason} Preview the next cycle again to see what it would do now.
          </MessageBarBody>
          {previewAgain ? <MessageBarActions>{previewAgain}</MessageBarActions> : null}
        </MessageBar>
      ) : null}

      {preview.status === 'failed' ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The preview failed</MessageBarTitle>
            {preview.error
              ? `${preview.error.message} (${preview.error.code})`
              : 'The next cycle could not be planned.'}
          </MessageBarBody>
          {previewAgain ? <MessageBarActions>{previewAgain}</MessageBarActions> : null}
        </MessageBar>
      ) : null}

      {preview.run || !can.manage ? null : (
        <div className={styles.actions}>
          <RunPlan
            servicePrincipalId={servicePrincipalId}
            job={job}
            preview={preview}
            applicationName={applicationName}
          />
          {preview.status === 'succeeded' && !preview.staleReason ? previewAgain : null}
        </div>
      )}

      {preview.status === 'running' ? <Progress preview={preview} /> : null}
      {preview.status === 'succeeded' ? (
        <PreviewObjects
          servicePrincipalId={servicePrincipalId}
          jobId={job.id}
          preview={preview}
          applicationName={applicationName}
        />
      ) : null}
    </>
  );
}

/**
 * Preview of the next cycle: what it would do to each object — action, reason and the attributes it
 * would change, old → new — computed by reading the application without changing it; then Run this
 * plan starts that cycle.
 */
export function CyclePreviewPage() {
  const page = usePageStyles();
  const styles = useStyles();
  const app = useApplication();
  const servicePrincipalId = app?.id ?? '';
  const previewId = useParams()['previewId'] ?? '';
  const job = useProvisioningJobQuery(servicePrincipalId);
  const preview = usePreviewQuery(servicePrincipalId, job.data?.id, previewId);
  if (!app) return null;

  const content = () => {
    if (job.isPending || (job.data && preview.isPending))
      return <LoadingState label="Loading the preview…" />;
    if (job.isError)
      return (
        <ErrorState
          title="The provisioning job could not be loaded"
          error={job.error}
          onRetry={() => void job.refetch()}
        />
      );
    if (!job.data)
      return (
        <Text>
          {app.displayName} has no provisioning configuration yet. Enter its admin credentials on the{' '}
          <Link to={paths.application(app.id, 'provisioning')}>Provisioning</Link> page and save first.
        </Text>
      );
    if (preview.isError)
      return (
        <ErrorState
          title="The preview could not be loaded"
          error={preview.error}
          onRetry={() => void preview.refetch()}
        />
      );
    const p = preview.data;
    if (!p) return null;
    return (
      <>
        <div className={styles.head}>
          <Text>
            {p.cycleKind ? KIND_TEXT[p.cycleKind] : 'The kind of cycle is known once planning begins.'}
          </Text>
          <Text className={page.muted}>
            Made {formatDateTime(p.createdDateTime)} by {p.initiatedBy.displayName}
            {p.completedDateTime
              ? `; planned in ${formatDuration(p.createdDateTime, p.completedDateTime)}`
              : ''}
            .
          </Text>
        </div>
        <PreviewBody
          servicePrincipalId={app.id}
          job={job.data}
          preview={p}
          applicationName={app.displayName}
        />
      </>
    );
  };

  return (
    <div className={page.body}>
      <Link to={paths.application(app.id, 'provisioning')} className={styles.back}>
        <ArrowLeft20Regular aria-hidden /> Provisioning
      </Link>
      <h2 className={page.sectionTitle}>Preview of the next cycle</h2>
      <ReadOnlyNote />
      {content()}
    </div>
  );
}
