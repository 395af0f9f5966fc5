import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular, Play20Regular, Search20Regular } from '@fluentui/react-icons';
import type { Group, ProvisioningObjectSummary, User } from '@provisio/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { ResultIcon } from '../../components/ResultIcon';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { useGroupMembersQuery } from '../../data/groups/group-members-query';
import { useGroupsQuery } from '../../data/groups/groups-query';
import {
  useProvisionOnDemandMutation,
  type OnDemandPick,
} from '../../data/synchronization/provision-on-demand-mutation';
import { useSchemaQuery } from '../../data/synchronization/schema-query';
import { readSavedSettings } from '../../data/synchronization/secrets';
import { useSecretsQuery } from '../../data/synchronization/secrets-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useApplication } from '../../hooks/use-application';
import { useSearchText } from '../../hooks/use-search-text';
import { paths } from '../../paths';
import { resultHeadline } from './headline';
import { StepResult } from './StepResult';

const useStyles = makeStyles({
  columns: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '960px' },
  users: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  userLabel: { display: 'flex', flexDirection: 'column' },
  result: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  resultHead: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  steps: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
});

const USERS_SHOWN = 10;
/** Entra provisions a group with at most five of its members at a time. */
const MAX_MEMBERS = 5;

/** The members of the picked group, to choose up to five of. */
function MemberPicker({
  group,
  selected,
  onChange,
}: {
  group: Group;
  selected: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const styles = useStyles();
  const members = useGroupMembersQuery(group.id);
  if (members.isPending) return <LoadingState label="Loading members…" />;
  if (members.isError)
    return (
      <ErrorState
        title="The group's members could not be loaded"
        error={members.error}
        onRetry={() => void members.refetch()}
      />
    );
  const list = members.data.pages.flatMap((p) => p.value);
  if (list.length === 0)
    return (
      <Text>
        {group.displayName} has no members. It can be provisioned alone; add members under{' '}
        <Link to={paths.groups}>Groups</Link> to provision them with it.
      </Text>
    );
  const full = selected.length >= MAX_MEMBERS;
  return (
    <fieldset className={styles.users} aria-label={`Members of ${group.displayName}`}>
      <legend>
        Members to provision with the group (up to {MAX_MEMBERS}; {selected.length} selected)
      </legend>
      {list.map((u) => {
        const checked = selected.includes(u.id);
        return (
          <Checkbox
            key={u.id}
            checked={checked}
            disabled={!checked && full}
            label={`${u.displayName} (${u.userPrincipalName})`}
            onChange={(_, d) =>
              onChange(d.checked ? [...selected, u.id] : selected.filter((id) => id !== u.id))
            }
          />
        );
      })}
    </fieldset>
  );
}

function EventResult({
  event,
  servicePrincipalId,
}: {
  event: ProvisioningObjectSummary;
  servicePrincipalId: string;
}) {
  const styles = useStyles();
  const status = event.provisioningStatusInfo.status;
  const type = event.sourceIdentity.identityType.toLowerCase() === 'group' ? 'group' : 'user';
  return (
    <section className={styles.result} aria-label={`Result for ${event.sourceIdentity.displayName}`}>
      <div className={styles.resultHead}>
        <ResultIcon result={status} showLabel={false} />
        <h2 style={{ margin: 0, fontSize: tokens.fontSizeBase400 }}>{resultHeadline(event)}</h2>
        {status === 'skipped' && event.sourceIdentity.id ? (
          <Link
            to={paths.explain(servicePrincipalId, { id: event.sourceIdentity.id, type })}
            aria-label={`Explain why ${event.sourceIdentity.displayName} was skipped`}
          >
            Explain
          </Link>
        ) : null}
      </div>
      <ol className={styles.steps} aria-label="Steps">
        {event.provisioningSteps.map((step, index) => (
          <StepResult key={`${index}-${step.name}`} step={step} index={index} event={event} />
        ))}
      </ol>
    </section>
  );
}

/**
 * Provision on demand: pick one directory user, or a group and up to five of its members, provision
 * it now — through the same import, scoping, matching and export as a cycle, whether provisioning
 * is on or off — and read each step's outcome, as on Entra's page of the same name.
 */
export function ProvisionOnDemandPage() {
  const page = usePageStyles();
  const styles = useStyles();
  const app = useApplication();
  const can = useCan();
  const servicePrincipalId = app?.id ?? '';
  const job = useProvisioningJobQuery(servicePrincipalId);
  const schema = useSchemaQuery(servicePrincipalId, can.manage ? job.data?.id : undefined);
  const secrets = useSecretsQuery(servicePrincipalId, Boolean(job.data) && can.manage);
  const search = useSearchText();
  const [kind, setKind] = useState<'User' | 'Group'>('User');
  const users = useUsersQuery(search.debounced, {
    top: USERS_SHOWN,
    enabled: Boolean(job.data) && can.manage && kind === 'User',
  });
  const groups = useGroupsQuery(search.debounced, {
    top: USERS_SHOWN,
    enabled: Boolean(job.data) && can.manage && kind === 'Group',
  });
  const [picked, setPicked] = useState<User | null>(null);
  const [pickedGroup, setPickedGroup] = useState<Group | null>(null);
  const [memberIds, setMemberIds] = useState<string[]>([]);
  const provision = useProvisionOnDemandMutation(servicePrincipalId);
  if (!app) return null;

  if (!can.manage) {
    return (
      <div className={page.body}>
        <ReadOnlyNote />
        <Text as="p" className={page.intro}>
          Provision on demand creates or updates accounts in {app.displayName} now, so Administrators and
          Application Administrators use it. What earlier runs did is in the{' '}
          <Link to={paths.application(app.id, 'provisioning-logs')}>provisioning logs</Link>.
        </Text>
      </div>
    );
  }

  if (job.isPending) return <LoadingState label="Loading provisioning…" />;
  if (job.isError) {
    return (
      <div className={page.body}>
        <ErrorState
          title="The provisioning configuration could not be loaded"
          error={job.error}
          onRetry={() => void job.refetch()}
        />
      </div>
    );
  }
  const tenantUrl = readSavedSettings(secrets.data).tenantUrl;
  if (!job.data || (secrets.data && !tenantUrl)) {
    return (
      <div className={page.body}>
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>Admin credentials are needed first</MessageBarTitle>
            Enter the Tenant URL and Secret Token under Admin Credentials on the{' '}
            <Link to={paths.application(app.id, 'provisioning')}>Provisioning</Link> page, Test Connection and
            Save; then provision on demand.
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }

  const jobId = job.data.id;
  const ruleId = schema.data?.synchronizationRules[0]?.id;
  const pick: OnDemandPick | null =
    kind === 'User'
      ? picked && { objectTypeName: 'User', objectId: picked.id, displayName: picked.displayName }
      : pickedGroup && {
          objectTypeName: 'Group',
          objectId: pickedGroup.id,
          displayName: pickedGroup.displayName,
          memberIds,
        };
  const run = () => {
    if (ruleId && pick) provision.mutate({ jobId, ruleId, pick });
  };
  const list = users.data?.pages.flatMap((p) => p.value) ?? [];
  const groupList = groups.data?.pages.flatMap((p) => p.value) ?? [];
  const noun = kind === 'User' ? 'user' : 'group';

  return (
    <div className={page.body}>
      <div className={styles.columns}>
        <Text as="p" className={page.intro}>
          Provision a user, or a group with up to {MAX_MEMBERS} of its members, now to check the attribute
          mappings and scoping filters without waiting for a cycle. Each object goes through the same steps as
          in a cycle (import, scope, match, action), whether provisioning is on or off, and its events are
          written to the provisioning logs.
        </Text>
        <TabList
          aria-label="Provision"
          selectedValue={kind}
          onTabSelect={(_, d) => setKind(d.value === 'Group' ? 'Group' : 'User')}
        >
          <Tab value="User">A user</Tab>
          <Tab value="Group">A group and up to {MAX_MEMBERS} members</Tab>
        </TabList>
        <Field
          label={`Search for a ${noun}`}
          hint={kind === 'User' ? 'By display name, user principal name or email' : 'By display name'}
        >
          <Input
            value={search.text}
            onChange={(_, d) => search.setText(d.value)}
            contentBefore={<Search20Regular />}
            className={page.search}
          />
        </Field>
        {kind === 'User' ? (
          users.isPending ? (
            <LoadingState label="Loading users…" />
          ) : users.isError ? (
            <ErrorState
              title="Users could not be loaded"
              error={users.error}
              onRetry={() => void users.refetch()}
            />
          ) : list.length === 0 ? (
            <Text>
              No user matches “{search.debounced}”. Try another part of the name, or add the user under{' '}
              <Link to={paths.users}>Users</Link>.
            </Text>
          ) : (
            <RadioGroup
              aria-label="Users"
              value={picked?.id ?? ''}
              onChange={(_, d) => setPicked(list.find((u) => u.id === d.value) ?? null)}
              className={styles.users}
            >
              {list.map((u) => (
                <Radio
                  key={u.id}
                  value={u.id}
                  label={`${u.displayName} (${u.userPrincipalName}${u.mail && u.mail !== u.userPrincipalName ? `, ${u.mail}` : ''})`}
                />
              ))}
            </RadioGroup>
          )
        ) : groups.isPending ? (
          <LoadingState label="Loading groups…" />
        ) : groups.isError ? (
          <ErrorState
            title="Groups could not be loaded"
            error={groups.error}
            onRetry={() => void groups.refetch()}
          />
        ) : groupList.length === 0 ? (
          <Text>
            No group matches “{search.debounced}”. Try another part of the name, or add the group under{' '}
            <Link to={paths.groups}>Groups</Link>.
          </Text>
        ) : (
          <>
            <RadioGroup
              aria-label="Groups"
              value={pickedGroup?.id ?? ''}
              onChange={(_, d) => {
                setPickedGroup(groupList.find((g) => g.id === d.value) ?? null);
                setMemberIds([]);
              }}
              className={styles.users}
            >
              {groupList.map((g) => (
                <Radio
                  key={g.id}
                  value={g.id}
                  label={`${g.displayName} (${g.memberCount} member${g.memberCount === 1 ? '' : 's'})`}
                />
              ))}
            </RadioGroup>
            {pickedGroup ? (
              <MemberPicker group={pickedGroup} selected={memberIds} onChange={setMemberIds} />
            ) : null}
          </>
        )}
        <div className={styles.actions}>
          <Button
            appearance="primary"
            icon={<Play20Regular />}
            disabled={!pick || !ruleId || provision.isPending}
            onClick={run}
          >
            Provision
          </Button>
          {schema.isError ? (
            <Text>The job's schema could not be loaded: {String(schema.error.message)}</Text>
          ) : null}
        </div>

        {provision.isPending ? (
          <Spinner
            size="small"
            labelPosition="after"
            label={`Provisioning ${provision.variables.pick.displayName}: importing, evaluating scope, matching and exporting (usually under 30 seconds)…`}
          />
        ) : provision.isError ? (
          <ErrorState
            title={`The ${provision.variables.pick.objectTypeName === 'User' ? 'user' : 'group'} could not be provisioned`}
            error={provision.error}
            onRetry={() => provision.mutate(provision.variables)}
          />
        ) : provision.data ? (
          <>
            {provision.data.provisioningEvents.map((event) => (
              <EventResult key={event.id} event={event} servicePrincipalId={app.id} />
            ))}
            <div className={styles.actions}>
              <Button
                icon={<ArrowClockwise20Regular />}
                onClick={() => provision.mutate(provision.variables)}
              >
                Retry
              </Button>
              <Link to={paths.application(app.id, 'provisioning-logs')}>View provisioning logs</Link>
            </div>
          </>
        ) : null}
      </div>
    </div>
  );
}
