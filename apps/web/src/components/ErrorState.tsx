import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isApiError } from '../api/client';

const useStyles = makeStyles({
  root: { margin: `${tokens.spacingVerticalM} 0` },
  requestId: { color: tokens.colorNeutralForeground3, marginLeft: tokens.spacingHorizontalS },
});

/** The error state of a page or list: what failed, the server's message, and Retry. */
export function ErrorState({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const styles = useStyles();
  const requestId = isApiError(error) ? error.requestId : null;
  return (
    <MessageBar intent="error" layout="multiline" className={styles.root}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {errorMessage(error)}
        {requestId ? <span className={styles.requestId}>Request ID: {requestId}</span> : null}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>Retry</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
