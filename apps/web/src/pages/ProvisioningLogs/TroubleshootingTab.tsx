import { MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ProvisioningObjectSummary } from '@provisio/contracts';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0, wordBreak: 'break-word' },
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

/**
 * Troubleshooting & Recommendations: the error code, reason and recommended action of a
 * failure or warning; for a skip, the skip reason its step recorded.
 */
export function TroubleshootingTab({ event }: { event: ProvisioningObjectSummary }) {
  const styles = useStyles();
  const info = event.provisioningStatusInfo.errorInformation;
  const skipStep = event.provisioningSteps.find((s) => s.status === 'skipped');
  const skipReason = skipStep?.details['SkipReason'];

  if (info) {
    return (
      <dl className={styles.facts}>
        <dt>Error code</dt>
        <dd className={styles.code}>{info.errorCode}</dd>
        <dt>Reason</dt>
        <dd>{info.reason}</dd>
        {info.additionalDetails ? (
          <>
            <dt>Additional details</dt>
            <dd>{info.additionalDetails}</dd>
          </>
        ) : null}
        <dt>Error category</dt>
        <dd>{info.errorCategory}</dd>
        <dt>Recommended action</dt>
        <dd>{info.recommendedAction ?? 'No recommendation was recorded for this error.'}</dd>
      </dl>
    );
  }
  if (event.provisioningStatusInfo.status === 'skipped' && skipStep) {
    return (
      <dl className={styles.facts}>
        <dt>Skip reason</dt>
        <dd className={styles.code}>{skipReason ?? 'Not recorded'}</dd>
        <dt>Reason</dt>
        <dd>{skipStep.description}</dd>
      </dl>
    );
  }
  return (
    <MessageBar intent="success">
      <MessageBarBody>
        <Text>No errors. Nothing needs to be done for this event.</Text>
      </MessageBarBody>
    </MessageBar>
  );
}
