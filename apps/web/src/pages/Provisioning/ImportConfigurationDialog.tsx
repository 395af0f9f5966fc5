import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
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
import { useEffect, useState, type ChangeEvent } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import {
  useConfigurationImportMutation,
  useConfigurationValidateMutation,
} from '../../data/synchronization/configuration-mutations';

const useStyles = makeStyles({
  surface: { maxWidth: '960px', width: '90vw' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { maxHeight: '45vh', overflowY: 'auto' },
  value: { wordBreak: 'break-word' },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** The file as read: its name and its JSON, or why it is not JSON. */
type Picked = { name: string; document: unknown } | { name: string; parseError: string };

/** The changes of an import, as the Restore default mappings confirmation lists them. */
function ChangesTable({ changes, label }: { changes: MappingChange[]; label: string }) {
  const styles = useStyles();
  return (
    <div className={styles.list}>
      <Table size="small" aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Change</TableHeaderCell>
            <TableHeaderCell>What</TableHeaderCell>
            <TableHeaderCell>Before</TableHeaderCell>
            <TableHeaderCell>After</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {changes.map((c) => (
            <TableRow key={c.displayName}>
              <TableCell>{c.change}</TableCell>
              <TableCell className={styles.value}>{c.displayName}</TableCell>
              <TableCell className={styles.value}>{c.oldValue ?? '—'}</TableCell>
              <TableCell className={styles.value}>{c.newValue ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Why a file cannot be imported: every problem, each naming its field and the fix. */
function Refusal({ messages }: { messages: string[] }) {
  const styles = useStyles();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>This file cannot be imported; nothing was changed</MessageBarTitle>
        <ul className={styles.problems} aria-label="Problems in the file">
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * Import configuration: reads a file exported from Provisio, has the API check it as an import
 * would (nothing changes yet), lists the problems or what would change, and imports only when the
 * administrator confirms; then shows what changed.
 */
export function ImportConfigurationDialog({
  open,
  servicePrincipalId,
  jobId,
  applicationName,
  onClose,
}: {
  open: boolean;
  servicePrincipalId: string;
  /** None while provisioning is not set up: the job is then created from the SCIM template. */
  jobId: string | undefined;
  applicationName: string;
  onClose: () => void;
}) {
  const styles = useStyles();
  const [picked, setPicked] = useState<Picked | null>(null);
  const check = useConfigurationValidateMutation(servicePrincipalId, jobId);
  const apply = useConfigurationImportMutation(servicePrincipalId, jobId, applicationName);
  const { reset: resetCheck } = check;
  const { reset: resetApply } = apply;

  // Each opening starts from a new file: the application may have changed since.
  useEffect(() => {
    if (!open) {
      setPicked(null);
      resetCheck();
      resetApply();
    }
  }, [open, resetCheck, resetApply]);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    resetCheck();
    resetApply();
    if (!file) {
      setPicked(null);
      return;
    }
    const text = await file.text();
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      setPicked({
        name: file.name,
        parseError: `${file.name} is not JSON (${error instanceof Error ? error.message : 'unreadable'}). Pick a file exported with Export configuration.`,
      });
      return;
    }
    setPicked({ name: file.name, document });
    check.mutate(document);
  };

  const document = picked && 'document' in picked ? picked.document : undefined;
  const problems = check.data?.problems ?? [];
  const changes = check.data?.changes ?? [];
  const refusedOnImport =
    apply.isError && isApiError(apply.error) && apply.error.details && apply.error.details.length > 0
      ? apply.error.details.map((d) => d.message)
      : null;
  const done = apply.isSuccess ? apply.data : null;
  const canImport =
    document !== undefined && check.isSuccess && problems.length === 0 && changes.length > 0 && !done;

  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Import provisioning configuration</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              A file exported with Export configuration replaces the attribute lists, attribute mappings,
              scoping filters, Target Object Actions, settings and app roles of {applicationName}. The Tenant
              URL and Secret Token of {applicationName} stay as they are: files never contain them.
            </Text>
            {done ? null : (
              <Field label="Configuration file" hint="A .json file exported from Provisio.">
                {(fieldProps) => (
                  <input
                    {...fieldProps}
                    type="file"
                    accept="application/json,.json"
                    onChange={(e) => void pick(e)}
                  />
                )}
              </Field>
            )}
            {check.isPending ? (
              <Spinner size="tiny" label="Checking the file…" labelPosition="after" />
            ) : null}
            {picked && 'parseError' in picked ? <Refusal messages={[picked.parseError]} /> : null}
            {check.isError ? (
              <MessageBar intent="error">
                <MessageBarBody>{errorMessage(check.error)}</MessageBarBody>
              </MessageBar>
            ) : null}
            {problems.length > 0 ? <Refusal messages={problems.map((p) => p.message)} /> : null}
            {refusedOnImport ? <Refusal messages={refusedOnImport} /> : null}
            {apply.isError && !refusedOnImport ? (
              <MessageBar intent="error">
                <MessageBarBody>{errorMessage(apply.error)}</MessageBarBody>
              </MessageBar>
            ) : null}
            {check.isSuccess && problems.length === 0 && changes.length === 0 ? (
              <MessageBar intent="info">
                <MessageBarBody>
                  {applicationName} already has the configuration of {picked?.name}: nothing would change.
                </MessageBarBody>
              </MessageBar>
            ) : null}
            {canImport ? (
              <>
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody>
                    Importing {picked?.name} makes {changes.length} change{changes.length === 1 ? '' : 's'} to{' '}
                    {applicationName}. The next provisioning cycle is an initial cycle: every user and group
                    in scope is evaluated again.
                  </MessageBarBody>
                </MessageBar>
                <ChangesTable changes={changes} label="Changes the import makes" />
              </>
            ) : null}
            {done ? (
              <>
                <MessageBar intent="success">
                  <MessageBarBody>
                    <MessageBarTitle>Imported</MessageBarTitle>
                    {done.changes.length} change{done.changes.length === 1 ? '' : 's'} made to{' '}
                    {applicationName}. Enter its Tenant URL and Secret Token under Admin Credentials if they
                    are not set yet.
                  </MessageBarBody>
                </MessageBar>
                <ChangesTable changes={done.changes} label="Changes the import made" />
              </>
            ) : null}
          </DialogContent>
          <DialogActions>
            {done ? (
              <Button appearance="primary" onClick={onClose}>
                Close
              </Button>
            ) : (
              <>
                <Button
                  appearance="primary"
                  disabled={!canImport || apply.isPending}
                  icon={apply.isPending ? <Spinner size="tiny" /> : undefined}
                  onClick={() => apply.mutate(document)}
                >
                  Import
                </Button>
                <Button onClick={onClose} disabled={apply.isPending}>
                  Cancel
                </Button>
              </>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
