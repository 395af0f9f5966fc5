import { makeStyles, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircle16Filled,
  ErrorCircle16Filled,
  SubtractCircle16Filled,
  Warning16Filled,
} from '@fluentui/react-icons';
import type { ProvisioningResult } from '@provisio/contracts';

const useStyles = makeStyles({
  root: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  success: { color: tokens.colorPaletteGreenForeground1 },
  failure: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  skipped: { color: tokens.colorNeutralForeground3 },
});

export const RESULT_LABEL: Record<ProvisioningResult, string> = {
  success: 'Success',
  failure: 'Failure',
  warning: 'Warning',
  skipped: 'Skipped',
};

/** A provisioning result with its icon, as the log list and the steps show it. */
export function ResultIcon({
  result,
  showLabel = true,
}: {
  result: ProvisioningResult;
  showLabel?: boolean;
}) {
  const styles = useStyles();
  const icon =
    result === 'success' ? (
      <CheckmarkCircle16Filled className={styles.success} />
    ) : result === 'failure' ? (
      <ErrorCircle16Filled className={styles.failure} />
    ) : result === 'warning' ? (
      <Warning16Filled className={styles.warning} />
    ) : (
      <SubtractCircle16Filled className={styles.skipped} />
    );
  return (
    <span
      className={styles.root}
      role={showLabel ? undefined : 'img'}
      aria-label={showLabel ? undefined : RESULT_LABEL[result]}
    >
      <span aria-hidden style={{ display: 'inline-flex' }}>
        {icon}
      </span>
      {showLabel ? RESULT_LABEL[result] : null}
    </span>
  );
}
