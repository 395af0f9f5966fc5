import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ProvisioningStep } from '@provisio/contracts';

const useStyles = makeStyles({
  details: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXXS,
    margin: 0,
    fontSize: tokens.fontSizeBase200,
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': {
      margin: 0,
      fontFamily: tokens.fontFamilyMonospace,
      wordBreak: 'break-word',
      whiteSpace: 'pre-wrap',
    },
  },
});

/** A step's details (key → value), as the logs and provision on demand show them; nothing when it has none. */
export function StepDetails({
  step,
  index,
  className,
}: {
  step: ProvisioningStep;
  /** The step's position, from 0, for the list's name ("Details of step 2"). */
  index: number;
  className?: string;
}) {
  const styles = useStyles();
  const details = Object.entries(step.details);
  if (details.length === 0) return null;
  return (
    <dl className={mergeClasses(styles.details, className)} aria-label={`Details of step ${index + 1}`}>
      {details.map(([key, value]) => (
        <div key={key} style={{ display: 'contents' }}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
