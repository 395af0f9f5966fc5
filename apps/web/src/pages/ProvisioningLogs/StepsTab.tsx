import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ProvisioningStep } from '@provisio/contracts';
import { RESULT_LABEL, ResultIcon } from '../../components/ResultIcon';
import { capitalize } from '../../lib/format';
import { STEP_TITLE } from './labels';
import { StepDetails } from './StepDetails';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  step: { borderLeft: `2px solid ${tokens.colorNeutralStroke2}`, paddingLeft: tokens.spacingHorizontalM },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    margin: 0,
    fontSize: tokens.fontSizeBase300,
    fontWeight: tokens.fontWeightSemibold,
  },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  details: { marginTop: tokens.spacingVerticalS },
});

/** Steps: what the service did to the object, in order, each with its outcome and details. */
export function StepsTab({ steps }: { steps: ProvisioningStep[] }) {
  const styles = useStyles();
  if (steps.length === 0) return <Text>No steps were recorded for this event.</Text>;
  return (
    <ol className={styles.list} aria-label="Steps">
      {steps.map((step, index) => {
        return (
          <li key={`${index}-${step.name}`} className={styles.step}>
            <h3 className={styles.head}>
              <ResultIcon result={step.status} showLabel={false} />
              {index + 1}. {STEP_TITLE[step.provisioningStepType]}
            </h3>
            <div className={styles.meta}>
              {step.name} · {capitalize(step.provisioningStepType)} · {RESULT_LABEL[step.status]}
            </div>
            <Text as="p" style={{ margin: '4px 0 0' }}>
              {step.description}
            </Text>
            <StepDetails step={step} index={index} className={styles.details} />
          </li>
        );
      })}
    </ol>
  );
}
