import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircle16Regular, ShieldTask20Regular } from '@fluentui/react-icons';
import type { TargetCheck, TargetCheckFinding } from '@provisio/contracts';
import { ErrorState } from '../../components/ErrorState';
import { useCan } from '../../data/auth/use-can';
import { useLatestTargetCheckQuery } from '../../data/target-checks/target-check-query';
import { useTargetCheckRunMutation } from '../../data/target-checks/target-check-run-mutation';
import { formatDateTime } from '../../lib/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  subheading: { margin: `${tokens.spacingVerticalS} 0 0`, fontSize: tokens.fontSizeBase300 },
  list: {
    margin: 0,
    paddingLeft: 0,
    listStyle: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  passed: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  muted: { color: tokens.colorNeutralForeground3 },
  fix: { display: 'block', marginTop: tokens.spacingVerticalXS },
});

const GROUPS = [
  { severity: 'error', heading: 'Errors', intent: 'error' },
  { severity: 'warning', heading: 'Warnings', intent: 'warning' },
] as const;

function Problem({ finding, intent }: { finding: TargetCheckFinding; intent: 'error' | 'warning' }) {
  const styles = useStyles();
  return (
    <li>
      <MessageBar intent={intent} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{finding.title}</MessageBarTitle>
          {finding.detail}
          {finding.fix ? <span className={styles.fix}>Fix: {finding.fix}</span> : null}
        </MessageBarBody>
      </MessageBar>
    </li>
  );
}

function Report({ check }: { check: TargetCheck }) {
  const styles = useStyles();
  const passed = check.findings.filter((f) => f.severity === 'info');
  const green = check.summary.errors === 0 && check.summary.warnings === 0;
  return (
    <>
      <Text className={styles.muted}>
        Checked {formatDateTime(check.completedDateTime ?? check.startedDateTime)} by{' '}
        {check.initiatedBy.userName} against {check.tenantUrl}: {check.summary.requests} requests in{' '}
        {(check.summary.durationMs / 1000).toFixed(1)} s.
      </Text>
      {green ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>All checks passed</MessageBarTitle>
            The application answered every request as provisioning needs ({passed.length} checks). Its test
            user and group were removed.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {GROUPS.map(({ severity, heading, intent }) => {
        const findings = check.findings.filter((f) => f.severity === severity);
        if (findings.length === 0) return null;
        return (
          <section key={severity} aria-label={`${heading} (${findings.length})`}>
            <h4 className={styles.subheading}>
              {heading} ({findings.length})
            </h4>
            <ul className={styles.list}>
              {findings.map((f) => (
                <Problem key={f.id} finding={f} intent={intent} />
              ))}
            </ul>
          </section>
        );
      })}
      {passed.length > 0 ? (
        <Accordion collapsible>
          <AccordionItem value="passed">
            <AccordionHeader>Passed ({passed.length})</AccordionHeader>
            <AccordionPanel>
              <ul className={styles.list} aria-label="Passed checks">
                {passed.map((f) => (
                  <li key={f.id} className={styles.passed}>
                    <CheckmarkCircle16Regular
                      aria-hidden
                      style={{ color: tokens.colorPaletteGreenForeground1 }}
                    />
                    <span>
                      <strong>{f.title}</strong> — {f.detail}
                    </span>
                  </li>
                ))}
              </ul>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      ) : null}
    </>
  );
}

/**
 * Check the target (an addition to Entra): probes the application behind the saved Tenant URL and
 * Secret Token and lists what will fail, grouped by severity, each with its fix. The latest report
 * is kept with the job, so it is there when the page opens again.
 */
export function TargetCheckPanel({
  servicePrincipalId,
  jobId,
  credentialsSaved,
}: {
  servicePrincipalId: string;
  jobId: string;
  credentialsSaved: boolean;
}) {
  const styles = useStyles();
  const can = useCan();
  const latest = useLatestTargetCheckQuery(servicePrincipalId, jobId);
  const run = useTargetCheckRunMutation(servicePrincipalId);
  const running = run.isPending || latest.data?.status === 'running';

  return (
    <section aria-labelledby="target-check" className={styles.root}>
      <div className={styles.row}>
        <h3 id="target-check" className={styles.heading}>
          Target check
        </h3>
        {can.manage ? (
          <Button
            icon={<ShieldTask20Regular />}
            disabled={!credentialsSaved || running}
            title={credentialsSaved ? undefined : 'Save the admin credentials first'}
            onClick={() => run.mutate(jobId)}
          >
            Check the target
          </Button>
        ) : null}
      </div>
      <Text className={styles.muted}>
        Sends the application read-only requests and a few test requests on a test user and group (named
        provisio-check-…, removed afterwards) and reports what it supports and what will fail.
      </Text>
      <div aria-live="polite">
        {running ? (
          <Spinner
            size="small"
            labelPosition="after"
            label="Checking the application: discovery, filters, paging, PATCH, disabling, groups, errors and rate limits…"
          />
        ) : null}
      </div>
      {latest.isPending ? null : latest.isError ? (
        <ErrorState
          title="The latest target check could not be loaded"
          error={latest.error}
          onRetry={() => void latest.refetch()}
        />
      ) : latest.data === null ? (
        running ? null : (
          <Text>
            {can.manage
              ? 'The application has not been checked yet. Select Check the target to see what it supports before the first cycle.'
              : 'The application has not been checked yet.'}
          </Text>
        )
      ) : latest.data.status === 'running' ? null : latest.data.status === 'failed' &&
        latest.data.findings.length === 0 ? (
        <Text>The last check did not finish. Run it again.</Text>
      ) : running ? null : (
        <Report check={latest.data} />
      )}
    </section>
  );
}
