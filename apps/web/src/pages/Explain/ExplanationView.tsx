import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  CheckmarkCircle20Filled,
  DismissCircle20Filled,
} from '@fluentui/react-icons';
import type { Explanation } from '@provisio/contracts';
import { useId } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useExplanationQuery } from '../../data/explain/explanation-query';
import { explanationSentence } from './explanation-sentence';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  checks: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  check: { display: 'grid', gridTemplateColumns: '24px 1fr', columnGap: tokens.spacingHorizontalS },
  passed: { color: tokens.colorPaletteGreenForeground1, display: 'inline-flex' },
  failed: { color: tokens.colorPaletteRedForeground1, display: 'inline-flex' },
  detail: { color: tokens.colorNeutralForeground2, gridColumnStart: 2 },
});

const intentOf = (explanation: Explanation) =>
  explanation.willProvision ? 'success' : explanation.action === 'failed' ? 'error' : 'warning';

/** The answer of Explain for one object: the sentence with its reason, the fix and the checks. */
export function ExplanationView({
  servicePrincipalId,
  appName,
  jobId,
  objectId,
  name,
}: {
  servicePrincipalId: string;
  appName: string;
  jobId: string;
  objectId: string;
  name: string;
}) {
  const styles = useStyles();
  const fixId = useId();
  const checksId = useId();
  const explanation = useExplanationQuery(servicePrincipalId, jobId, objectId);

  if (explanation.isPending) return <LoadingState label={`Explaining ${name}…`} />;
  if (explanation.isError)
    return (
      <ErrorState
        title={`${name} could not be explained`}
        error={explanation.error}
        onRetry={() => void explanation.refetch()}
      />
    );
  const data = explanation.data;
  return (
    <div className={styles.root}>
      <section aria-label="Answer">
        <MessageBar intent={intentOf(data)} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{explanationSentence(data, name, appName)}</MessageBarTitle> {data.reason}
          </MessageBarBody>
        </MessageBar>
      </section>
      <section className={styles.section} aria-labelledby={fixId}>
        <h2 id={fixId} className={styles.heading}>
          Recommended action
        </h2>
        <Text>{data.recommendedAction || 'None.'}</Text>
      </section>
      <section className={styles.section} aria-labelledby={checksId}>
        <h2 id={checksId} className={styles.heading}>
          Checks
        </h2>
        {data.checks.length === 0 ? (
          <Text>No checks were needed.</Text>
        ) : (
          <ul className={styles.checks} aria-labelledby={checksId}>
            {data.checks.map((check) => (
              <li
                key={check.name}
                className={styles.check}
                aria-label={`${check.name}: ${check.passed ? 'passed' : 'failed'}`}
              >
                <span
                  role="img"
                  aria-label={check.passed ? 'Passed' : 'Failed'}
                  className={check.passed ? styles.passed : styles.failed}
                >
                  {check.passed ? <CheckmarkCircle20Filled /> : <DismissCircle20Filled />}
                </span>
                <Text weight="semibold">{check.name}</Text>
                {check.detail ? <Text className={styles.detail}>{check.detail}</Text> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div>
        <Button
          icon={<ArrowClockwise20Regular />}
          disabled={explanation.isFetching}
          onClick={() => void explanation.refetch()}
        >
          Explain again
        </Button>
      </div>
    </div>
  );
}
