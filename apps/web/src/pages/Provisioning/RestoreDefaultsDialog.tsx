import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { MappingChange } from '@provisio/contracts';
import { useEffect } from 'react';
import { errorMessage } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import {
  useRestoreDefaultsMutation,
  useRestoreDefaultsPreviewMutation,
} from '../../data/synchronization/restore-defaults-mutation';

const useStyles = makeStyles({
  surface: { maxWidth: '960px', width: '90vw' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { maxHeight: '50vh', overflowY: 'auto' },
  value: { wordBreak: 'break-word' },
});

const CHANGE_LABEL: Record<MappingChange['change'], string> = {
  Added: 'Added',
  Removed: 'Removed',
  Changed: 'Changed',
};

/**
 * Restore default mappings: asks the API what a restore would change (a dry run), lists it, and
 * restores the gallery template's mappings only when the administrator confirms.
 */
export function RestoreDefaultsDialog({
  open,
  servicePrincipalId,
  jobId,
  applicationName,
  onClose,
}: {
  open: boolean;
  servicePrincipalId: string;
  jobId: string;
  applicationName: string;
  onClose: () => void;
}) {
  const styles = useStyles();
  const preview = useRestoreDefaultsPreviewMutation(servicePrincipalId, jobId);
  const restore = useRestoreDefaultsMutation(servicePrincipalId, jobId, applicationName);
  const { mutate: loadPreview, reset: resetPreview } = preview;
  const { reset: resetRestore } = restore;

  // Each opening asks again: the mappings may have changed since the last one.
  useEffect(() => {
    if (open) loadPreview();
    else {
      resetPreview();
      resetRestore();
    }
  }, [open, loadPreview, resetPreview, resetRestore]);

  const changes = preview.data?.changes ?? [];
  const confirm = () => restore.mutate(undefined, { onSuccess: onClose });

  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Restore default mappings</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              The attribute mappings, Target Object Actions, scoping filters and attribute lists of{' '}
              {applicationName} are replaced by those of its gallery template. The next cycle is an initial
              cycle: every assigned user and group is evaluated again.
            </Text>
            {preview.isPending ? (
              <Spinner size="tiny" label="Comparing with the default mappings…" labelPosition="after" />
            ) : null}
            {preview.isError ? (
              <ErrorState
                title="What would change could not be listed"
                error={preview.error}
                onRetry={() => loadPreview()}
              />
            ) : null}
            {preview.isSuccess && changes.length === 0 ? (
              <MessageBar intent="info">
                <MessageBarBody>
                  The mappings of {applicationName} are already the defaults: nothing would change.
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {changes.length > 0 ? (
              <>
                <Text weight="semibold">
                  {changes.length} change{changes.length === 1 ? '' : 's'}:
                </Text>
                <div className={styles.list}>
                  <Table size="small" aria-label="Changes a restore makes">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Change</TableHeaderCell>
                        <TableHeaderCell>Mapping</TableHeaderCell>
                        <TableHeaderCell>Now</TableHeaderCell>
                        <TableHeaderCell>After restoring</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {changes.map((c) => (
                        <TableRow key={c.displayName}>
                          <TableCell>{CHANGE_LABEL[c.change]}</TableCell>
                          <TableCell className={styles.value}>{c.displayName}</TableCell>
                          <TableCell className={styles.value}>{c.oldValue ?? '—'}</TableCell>
                          <TableCell className={styles.value}>{c.newValue ?? '—'}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              </>
            ) : null}
            {restore.isError ? (
              <MessageBar intent="error">
                <MessageBarBody>{errorMessage(restore.error)}</MessageBarBody>
              </MessageBar>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={changes.length === 0 || restore.isPending}
              icon={restore.isPending ? <Spinner size="tiny" /> : undefined}
              onClick={confirm}
            >
              Restore
            </Button>
            <Button onClick={onClose} disabled={restore.isPending}>
              Cancel
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
