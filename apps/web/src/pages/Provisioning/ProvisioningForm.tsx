import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Label,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Switch,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwise20Regular,
  ArrowReset20Regular,
  Dismiss20Regular,
  PlugConnected20Regular,
  Save20Regular,
} from '@fluentui/react-icons';
import {
  secretKeyValueSchema,
  type KeyValue,
  type SecretKey,
  type SecretsPut,
  type ServicePrincipal,
  type SynchronizationJob,
} from '@provisio/contracts';
import { useState, type ReactNode } from 'react';
import { useBlocker } from 'react-router';
import { Value } from 'typebox/value';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { usePageStyles } from '../../components/page-styles';
import { useCredentialsValidateMutation } from '../../data/synchronization/credentials-validate-mutation';
import { useMailStatusQuery } from '../../data/synchronization/mail-status-query';
import {
  isCredentialsError,
  useProvisioningSaveMutation,
} from '../../data/synchronization/provisioning-save-mutation';
import { useTestNotificationMutation } from '../../data/synchronization/test-notification-mutation';
import {
  formatNotificationSettings,
  readSavedSettings,
  type SavedProvisioningSettings,
} from '../../data/synchronization/secrets';
import { ErrorState } from '../../components/ErrorState';
import { labelOf } from '../../lib/field-messages';
import { notificationEmailProblem } from '../../lib/notification-email';
import { fieldErrors } from '../../lib/validation';
import {
  describeInterval,
  intervalMinutesText,
  intervalSeconds,
  readIntervalMinutes,
} from './cycle-interval';
import { MappingsList } from './MappingsList';
import { RestoreDefaultsDialog } from './RestoreDefaultsDialog';
import { isProvisioningOn } from './status-text';

const useStyles = makeStyles({
  sections: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '880px' },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalL}`,
  },
  field: { maxWidth: '560px' },
  inline: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  status: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  accordionTitle: { fontWeight: tokens.fontWeightSemibold },
});

/** Local edits only: `undefined` means "as saved", so the form never holds a stale copy of the server's data. */
interface Draft {
  tenantUrl?: string;
  /** Typed token; empty keeps the saved one. */
  secretToken: string;
  syncAll?: boolean;
  skipOutOfScopeDeletions?: boolean;
  /** Minutes between cycles, as typed. */
  intervalMinutes?: string;
  notificationEnabled?: boolean;
  notificationEmail?: string;
  preventDeletion?: boolean;
  /** As typed. */
  deletionThreshold?: string;
  provisioningOn?: boolean;
}

/** The job's accidental deletion settings as saved (on with 500 unless the job says otherwise). */
export function savedDeletion(job: SynchronizationJob | null): { enabled: boolean; threshold: string } {
  const setting = (name: string) => job?.synchronizationJobSettings.find((s) => s.name === name)?.value;
  return {
    enabled: (setting('DeleteThresholdEnabled') ?? 'true').toLowerCase() === 'true',
    threshold: setting('QuarantineTooManyDeletesThreshold') ?? '500',
  };
}
const NO_EDITS: Draft = { secretToken: '' };

const SCOPE_OPTIONS = [
  { value: 'assigned', label: 'Sync only assigned users and groups' },
  { value: 'all', label: 'Sync all users and groups' },
];

function tenantUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed)
    return "Enter the Tenant URL of the application's SCIM endpoint, e.g. https://api.contoso.com/scim/.";
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return 'The Tenant URL must start with https:// or http://.';
  } catch {
    return 'The Tenant URL must be a full URL such as https://api.contoso.com/scim/.';
  }
  return undefined;
}

export type SecretsState =
  | { state: 'ready'; saved: SavedProvisioningSettings }
  | { state: 'loading' }
  | { state: 'error'; error: unknown; retry: () => void };

const NOTHING_SAVED = readSavedSettings(undefined);

/** A changed secret, checked against the contract before it is sent. */
function secretEntry(key: SecretKey, value: string): SecretsPut['value'][number] {
  const entry = { key, value };
  if (!Value.Check(secretKeyValueSchema, entry)) {
    const words = fieldErrors(secretKeyValueSchema, entry, {}, { value: labelOf(key) })['value'];
    throw new Error(words ?? `Check the ${labelOf(key)}.`);
  }
  return entry;
}

/**
 * Edit provisioning, the classic single-page blade: Provisioning Mode, Admin Credentials
 * (with Test Connection), Mappings, Settings and Provisioning Status, saved together.
 * `overview` is shown between the command bar and the form.
 */
export function ProvisioningForm({
  app,
  job,
  secrets,
  overview,
  onRefresh,
}: {
  app: ServicePrincipal;
  job: SynchronizationJob | null;
  secrets: SecretsState;
  overview: ReactNode;
  onRefresh: () => void;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const [draft, setDraft] = useState<Draft>(NO_EDITS);
  const [problems, setProblems] = useState<{
    tenantUrl?: string;
    email?: string;
    threshold?: string;
    interval?: string;
    save?: string;
  }>({});
  const [restoreOpen, setRestoreOpen] = useState(false);
  const validate = useCredentialsValidateMutation(app.id);
  const mail = useMailStatusQuery();
  const testEmail = useTestNotificationMutation(app.id);
  const save = useProvisioningSaveMutation(app.id, app.displayName);

  const saved = secrets.state === 'ready' ? secrets.saved : NOTHING_SAVED;
  const savedLoaded = secrets.state === 'ready';
  const savedOn = isProvisioningOn(job);
  const tenantUrl = draft.tenantUrl ?? saved.tenantUrl;
  const syncAll = draft.syncAll ?? saved.syncAll;
  const skipOutOfScope = draft.skipOutOfScopeDeletions ?? saved.skipOutOfScopeDeletions;
  const savedIntervalSeconds = intervalSeconds(job?.schedule.cycleInterval);
  const savedIntervalText = intervalMinutesText(savedIntervalSeconds);
  const intervalText = draft.intervalMinutes ?? savedIntervalText;
  const intervalChanged =
    draft.intervalMinutes !== undefined && draft.intervalMinutes.trim() !== savedIntervalText;
  const notificationEnabled = draft.notificationEnabled ?? saved.notificationEnabled;
  const notificationEmail = draft.notificationEmail ?? saved.notificationEmail;
  const provisioningOn = draft.provisioningOn ?? savedOn;
  const deletion = savedDeletion(job);
  const preventDeletion = draft.preventDeletion ?? deletion.enabled;
  const deletionThreshold = draft.deletionThreshold ?? deletion.threshold;
  const deletionChanged =
    (draft.preventDeletion !== undefined && draft.preventDeletion !== deletion.enabled) ||
    (draft.deletionThreshold !== undefined && draft.deletionThreshold.trim() !== deletion.threshold);

  const tenantUrlChanged = draft.tenantUrl !== undefined && draft.tenantUrl.trim() !== saved.tenantUrl;
  const syncAllChanged = draft.syncAll !== undefined && draft.syncAll !== saved.syncAll;
  const skipChanged =
    draft.skipOutOfScopeDeletions !== undefined &&
    draft.skipOutOfScopeDeletions !== saved.skipOutOfScopeDeletions;
  const notificationChanged =
    (draft.notificationEnabled !== undefined && draft.notificationEnabled !== saved.notificationEnabled) ||
    (draft.notificationEmail !== undefined && draft.notificationEmail.trim() !== saved.notificationEmail);
  const statusChanged = draft.provisioningOn !== undefined && draft.provisioningOn !== savedOn;
  const dirty =
    tenantUrlChanged ||
    draft.secretToken !== '' ||
    syncAllChanged ||
    skipChanged ||
    intervalChanged ||
    notificationChanged ||
    deletionChanged ||
    statusChanged;

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !save.isPending && currentLocation.pathname !== nextLocation.pathname,
  );

  const edit = (patch: Partial<Draft>, credentials = false) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A test result speaks of the credentials it tested, not of new ones.
    if (credentials) {
      validate.reset();
      if (isCredentialsError(save.error)) save.reset();
    }
  };

  const discard = () => {
    setDraft(NO_EDITS);
    setProblems({});
    validate.reset();
    save.reset();
  };

  /** The credentials as typed, completed by the saved Secret Token when none was typed. */
  const typedCredentials = () => {
    const credentials: KeyValue[] = [{ key: 'BaseAddress', value: tenantUrl.trim() }];
    if (draft.secretToken) credentials.push({ key: 'SecretToken', value: draft.secretToken });
    return { credentials, useSavedCredentials: !draft.secretToken && saved.secretTokenSaved };
  };

  const testConnection = () => {
    const tenantProblem = tenantUrlProblem(tenantUrl);
    setProblems((p) => ({ ...p, tenantUrl: tenantProblem }));
    if (tenantProblem) return;
    validate.mutate({ job, ...typedCredentials() });
  };

  const submit = () => {
    const found: typeof problems = {};
    // Provisioning can't run without a Tenant URL, so only an "On" save needs one.
    if (provisioningOn || tenantUrlChanged) found.tenantUrl = tenantUrlProblem(tenantUrl);
    const emailProblem = notificationEnabled ? notificationEmailProblem(notificationEmail) : undefined;
    if (emailProblem) found.email = emailProblem;
    if (preventDeletion && !/^[1-9]\d{0,8}$/.test(deletionThreshold.trim())) {
      found.threshold = 'Enter the number of removals a cycle may make, a whole number from 1.';
    }
    const interval = intervalChanged ? readIntervalMinutes(intervalText) : undefined;
    if (interval && 'problem' in interval) found.interval = interval.problem;
    let secrets: SecretsPut['value'] = [];
    try {
      if (tenantUrlChanged) secrets.push(secretEntry('BaseAddress', tenantUrl.trim()));
      if (draft.secretToken) secrets.push(secretEntry('SecretToken', draft.secretToken));
      if (syncAllChanged) secrets.push(secretEntry('SyncAll', syncAll ? 'true' : 'false'));
      if (skipChanged)
        secrets.push(secretEntry('SkipOutOfScopeDeletions', skipOutOfScope ? 'true' : 'false'));
      if (notificationChanged) {
        secrets.push(
          secretEntry(
            'SyncNotificationSettings',
            formatNotificationSettings(saved.notificationDocument, notificationEnabled, notificationEmail),
          ),
        );
      }
    } catch (error) {
      found.save = errorMessage(error);
      secrets = [];
    }
    setProblems(found);
    if (found.tenantUrl || found.email || found.threshold || found.interval || found.save) return;
    const settings = deletionChanged
      ? [
          { name: 'DeleteThresholdEnabled', value: preventDeletion ? 'true' : 'false' },
          ...(preventDeletion
            ? [{ name: 'QuarantineTooManyDeletesThreshold', value: deletionThreshold.trim() }]
            : []),
        ]
      : [];
    const turningOn = statusChanged && provisioningOn;
    save.mutate(
      // Start or pause only on a change: starting a running job again is not a no-op in Graph.
      {
        job,
        secrets,
        settings,
        provisioningStatus: statusChanged ? (provisioningOn ? 'On' : 'Off') : undefined,
        interval: interval && 'interval' in interval ? interval.interval : undefined,
        // Entra tests the credentials on Save; while provisioning is On already the API does.
        testFirst: turningOn ? typedCredentials() : undefined,
      },
      { onSuccess: () => setDraft(NO_EDITS) },
    );
  };

  return (
    <>
      <Toolbar aria-label="Provisioning configuration commands" className={page.commandBar}>
        <ToolbarButton
          appearance="primary"
          icon={save.isPending ? <Spinner size="tiny" /> : <Save20Regular />}
          disabled={save.isPending || !dirty || !savedLoaded}
          onClick={submit}
        >
          Save
        </ToolbarButton>
        <ToolbarButton icon={<Dismiss20Regular />} disabled={!dirty || save.isPending} onClick={discard}>
          Discard
        </ToolbarButton>
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={onRefresh}>
          Refresh
        </ToolbarButton>
      </Toolbar>
      <div className={page.body}>
        {overview}
        <div className={styles.sections}>
          {secrets.state === 'loading' ? (
            <Spinner size="tiny" label="Loading saved settings…" labelPosition="after" />
          ) : null}
          {secrets.state === 'error' ? (
            <ErrorState
              title="The saved settings could not be loaded"
              error={secrets.error}
              onRetry={secrets.retry}
            />
          ) : null}
          {problems.save ? (
            <MessageBar intent="error">
              <MessageBarBody>{problems.save}</MessageBarBody>
            </MessageBar>
          ) : null}
          <Field label="Provisioning Mode" className={styles.field}>
            <Dropdown value="Automatic" selectedOptions={['Automatic']}>
              <Option value="Automatic">Automatic</Option>
              <Option value="Manual" disabled>
                Manual
              </Option>
            </Dropdown>
          </Field>
          <Text>
            Provisio manages the creation and synchronization of user accounts in {app.displayName} based on
            user and group assignment.
          </Text>

          <Accordion multiple collapsible defaultOpenItems={['credentials', 'mappings', 'settings']}>
            <AccordionItem value="credentials">
              <AccordionHeader as="h2" size="large">
                <span className={styles.accordionTitle}>Admin Credentials</span>
              </AccordionHeader>
              <AccordionPanel className={styles.panel}>
                <Text>
                  Enter the credentials Provisio uses to connect to {app.displayName}&apos;s SCIM 2.0
                  endpoint.
                </Text>
                <Field
                  label="Tenant URL"
                  required
                  className={styles.field}
                  validationMessage={problems.tenantUrl}
                >
                  <Input
                    type="url"
                    value={tenantUrl}
                    placeholder="https://api.contoso.com/scim/"
                    onChange={(_e, d) => edit({ tenantUrl: d.value }, true)}
                  />
                </Field>
                <Field
                  label="Secret Token"
                  className={styles.field}
                  hint={
                    saved.secretTokenSaved
                      ? 'A secret token is saved. Leave this empty to keep it, or type a new one to replace it.'
                      : 'The bearer token the application expects in the Authorization header.'
                  }
                >
                  <Input
                    type="password"
                    value={draft.secretToken}
                    autoComplete="new-password"
                    placeholder={saved.secretTokenSaved ? '•••••••• (saved)' : ''}
                    onChange={(_e, d) => edit({ secretToken: d.value }, true)}
                  />
                </Field>
                <div className={styles.inline}>
                  <Button
                    icon={<PlugConnected20Regular />}
                    // Until the saved Tenant URL is known, a test would check an empty one.
                    disabled={validate.isPending || !savedLoaded}
                    onClick={testConnection}
                  >
                    Test Connection
                  </Button>
                  {validate.isPending ? (
                    <Spinner size="tiny" label="Testing connection…" labelPosition="after" />
                  ) : null}
                </div>
                {validate.isSuccess ? (
                  <MessageBar intent="success">
                    <MessageBarBody>
                      The supplied credentials are authorized to enable provisioning
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
                {validate.isError ? (
                  <MessageBar intent="error" layout="multiline">
                    <MessageBarBody>
                      <MessageBarTitle>Testing connection to {app.displayName} failed</MessageBarTitle>
                      {errorMessage(validate.error)}
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
                {isCredentialsError(save.error) ? (
                  <MessageBar intent="error" layout="multiline" role="alert">
                    <MessageBarBody>
                      <MessageBarTitle>The credentials were not saved</MessageBarTitle>
                      {errorMessage(save.error)}
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
              </AccordionPanel>
            </AccordionItem>

            <AccordionItem value="mappings">
              <AccordionHeader as="h2" size="large">
                <span className={styles.accordionTitle}>Mappings</span>
              </AccordionHeader>
              <AccordionPanel className={styles.panel}>
                <MappingsList servicePrincipalId={app.id} jobId={job?.id} applicationName={app.displayName} />
                {job ? (
                  <div>
                    <Button icon={<ArrowReset20Regular />} onClick={() => setRestoreOpen(true)}>
                      Restore default mappings
                    </Button>
                  </div>
                ) : null}
              </AccordionPanel>
            </AccordionItem>

            <AccordionItem value="settings">
              <AccordionHeader as="h2" size="large">
                <span className={styles.accordionTitle}>Settings</span>
              </AccordionHeader>
              <AccordionPanel className={styles.panel}>
                <Field label="Notification Email" className={styles.field} validationMessage={problems.email}>
                  <Input
                    type="email"
                    value={notificationEmail}
                    placeholder="admin@contoso.com"
                    onChange={(_e, d) => edit({ notificationEmail: d.value })}
                  />
                </Field>
                <Checkbox
                  label="Send an email notification when a failure occurs"
                  checked={notificationEnabled}
                  onChange={(_e, d) => edit({ notificationEnabled: d.checked === true })}
                />
                {mail.data && !mail.data.configured ? (
                  <MessageBar intent="warning" layout="multiline">
                    <MessageBarBody>
                      <MessageBarTitle>Mail is not configured</MessageBarTitle>
                      No email can be sent until the API and the worker are started with PROVISIO_SMTP_URL
                      (the mail server) and PROVISIO_SMTP_FROM (the sender).
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
                <div>
                  <Button
                    disabled={
                      !job ||
                      !mail.data?.configured ||
                      !saved.notificationEmail ||
                      notificationChanged ||
                      testEmail.isPending
                    }
                    onClick={() => job && testEmail.mutate(job.id)}
                  >
                    Send test email
                  </Button>
                  {notificationChanged ? (
                    <Text size={200} className={page.muted}>
                      {' '}
                      Save the Notification Email first.
                    </Text>
                  ) : null}
                </div>
                <Checkbox
                  label="Prevent accidental deletion"
                  checked={preventDeletion}
                  onChange={(_e, d) => edit({ preventDeletion: d.checked === true })}
                />
                {preventDeletion ? (
                  <Field
                    label="Accidental deletion threshold"
                    hint="A cycle that would remove (disable or delete) more users and groups than this removes none: the removals wait in the provisioning logs as StagedDelete until you allow them."
                    className={styles.field}
                    validationMessage={problems.threshold}
                  >
                    <Input
                      inputMode="numeric"
                      value={deletionThreshold}
                      onChange={(_e, d) => edit({ deletionThreshold: d.value })}
                    />
                  </Field>
                ) : null}
                <Field label="Scope" className={styles.field}>
                  <Dropdown
                    value={syncAll ? SCOPE_OPTIONS[1]?.label : SCOPE_OPTIONS[0]?.label}
                    selectedOptions={[syncAll ? 'all' : 'assigned']}
                    onOptionSelect={(_e, d) => edit({ syncAll: d.optionValue === 'all' })}
                  >
                    {SCOPE_OPTIONS.map((o) => (
                      <Option key={o.value} value={o.value}>
                        {o.label}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
                <Checkbox
                  label="Skip out of scope deletions"
                  checked={skipOutOfScope}
                  onChange={(_e, d) => edit({ skipOutOfScopeDeletions: d.checked === true })}
                />
                <Text size={200} className={page.muted}>
                  Users and groups that leave scope (unassigned, disabled or filtered out) are left as they
                  are in {app.displayName} instead of being disabled (SkipOutOfScopeDeletions).
                </Text>
                <Field
                  label="Cycle interval (minutes)"
                  hint={`The time between provisioning cycles, from 20 minutes to 24 hours (1440); 40 minutes by default, as in Entra.${savedIntervalSeconds % 60 !== 0 ? ` Now every ${describeInterval(savedIntervalSeconds)}, this installation's default.` : ''}`}
                  className={styles.field}
                  validationMessage={problems.interval}
                >
                  <Input
                    inputMode="numeric"
                    value={intervalText}
                    onChange={(_e, d) => edit({ intervalMinutes: d.value })}
                  />
                </Field>
                {syncAllChanged && !syncAll ? (
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>
                      Switching from all users and groups to assigned ones takes effect after Restart
                      provisioning.
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
              </AccordionPanel>
            </AccordionItem>
          </Accordion>

          <div className={styles.status}>
            <Label weight="semibold" size="large">
              Provisioning Status
            </Label>
            <Switch
              aria-label="Provisioning Status"
              checked={provisioningOn}
              label={provisioningOn ? 'On' : 'Off'}
              onChange={(_e, d) => edit({ provisioningOn: d.checked })}
            />
            <Text size={200} className={page.muted}>
              {!statusChanged
                ? provisioningOn
                  ? 'Provisioning is on: cycles run on the schedule.'
                  : 'Provisioning is off: nothing is created, updated or removed in the application.'
                : provisioningOn
                  ? 'Save starts provisioning: an initial cycle, then incremental cycles on the schedule.'
                  : 'Save stops provisioning; a cycle in progress finishes first. Turning it On later resumes where it left off.'}
            </Text>
          </div>
        </div>
      </div>
      {job ? (
        <RestoreDefaultsDialog
          open={restoreOpen}
          servicePrincipalId={app.id}
          jobId={job.id}
          applicationName={app.displayName}
          onClose={() => setRestoreOpen(false)}
        />
      ) : null}
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Unsaved changes"
        confirmLabel="Discard changes"
        cancelLabel="Stay on this page"
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        You have changes to the provisioning configuration of {app.displayName} that are not saved. Leave and
        discard them?
      </ConfirmDialog>
    </>
  );
}
