import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Copy20Regular } from '@fluentui/react-icons';
import type { ApiTokenCreated } from '@provisio/contracts';
import { useRef } from 'react';
import { useNotify } from '../../hooks/use-notify';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  tokenRow: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  token: { flexGrow: 1 },
  tokenInput: { width: '100%', fontFamily: tokens.fontFamilyMonospace },
  example: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  },
});

/** The one time a new token is shown: Copy, the warning that it will not be shown again, and how to use it. */
export function TokenCreatedDialog({
  created,
  onClose,
}: {
  created: ApiTokenCreated | null;
  onClose: () => void;
}) {
  const styles = useStyles();
  const notify = useNotify();
  const input = useRef<HTMLInputElement>(null);
  const example = `curl -H "Authorization: Bearer <token>" ${window.location.origin}/api/v1.0/servicePrincipals`;

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      notify.success('Copied the token', 'Paste it where your script keeps its secrets.');
    } catch {
      // Without clipboard access (an http page), the token is selected for Ctrl+C instead.
      input.current?.select();
      notify.success('The token is selected', 'Press Ctrl+C (⌘C) to copy it.');
    }
  };

  return (
    <Dialog
      open={created !== null}
      modalType="alert"
      onOpenChange={(_e, d) => (d.open ? undefined : onClose())}
    >
      <DialogSurface>
        <DialogBody>
          <DialogTitle>API token created</DialogTitle>
          <DialogContent className={styles.content}>
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Copy the token now</MessageBarTitle>
                It will not be shown again: Provisio keeps only a hash of it. If it is lost, revoke it and
                create a new one.
              </MessageBarBody>
            </MessageBar>
            <div className={styles.tokenRow}>
              <Field
                label="Token"
                className={styles.token}
                hint={
                  created
                    ? `${created.displayName}, expires ${new Date(created.expirationDateTime).toLocaleDateString()}`
                    : undefined
                }
              >
                <Input
                  ref={input}
                  readOnly
                  className={styles.tokenInput}
                  value={created?.token ?? ''}
                  onFocus={(event) => event.currentTarget.select()}
                />
              </Field>
              <Button icon={<Copy20Regular />} onClick={() => void copy()}>
                Copy
              </Button>
            </div>
            <Text>Send it in the Authorization header of each request, for example:</Text>
            <pre className={styles.example} aria-label="Usage example">
              {example}
            </pre>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              Done
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
