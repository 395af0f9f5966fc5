import {
  Button,
  Checkbox,
  Field,
  Link as FluentLink,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Toolbar,
  ToolbarButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  Add20Regular,
  ArrowDownload20Regular,
  ArrowLeft20Regular,
  CodeText20Regular,
  Dismiss20Regular,
  ErrorCircle16Regular,
  Save20Regular,
  TextBulletListSquareEdit20Regular,
} from '@fluentui/react-icons';
import type {
  AttributeMapping,
  FilterGroup,
  ObjectFlowType,
  ServicePrincipal,
  SynchronizationSchema,
} from '@provisio/contracts';
import { useState } from 'react';
import { Link, useBlocker, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ReadOnlyNote } from '../../components/ReadOnlyNote';
import { usePageStyles } from '../../components/page-styles';
import { useCan } from '../../data/auth/use-can';
import { useProvisioningJobQuery } from '../../data/synchronization/jobs-query';
import { useSchemaSaveMutation } from '../../data/synchronization/schema-save-mutation';
import { useSchemaValidateMutation } from '../../data/synchronization/schema-validate-mutation';
import { useSchemaQuery } from '../../data/synchronization/schema-query';
import { useApplication } from '../../hooks/use-application';
import { paths } from '../../paths';
import { AttributeListDialog } from './AttributeListDialog';
import { AttributeMappingsTable } from './AttributeMappingsTable';
import { EditAttributeDialog } from './EditAttributeDialog';
import { ExpressionBuilderDialog } from './ExpressionBuilderDialog';
import { SourceObjectScopeDialog } from './SourceObjectScopeDialog';
import {
  EMPTY_FORM,
  listObjectMappings,
  objectDefinitions,
  scopeChanged,
  scopeSummary,
  scopingAttributes,
  sortProblems,
  toForm,
  updateObjectMapping,
  updateTargetAttributes,
  withoutScopeProblems,
  withScopingFilters,
  type AttributeMappingForm,
  type ProblemDetail,
} from './mapping-model';

const useStyles = makeStyles({
  sections: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1100px' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    '& dt': { fontWeight: tokens.fontWeightSemibold },
    '& dd': { margin: 0, wordBreak: 'break-all' },
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  checks: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  back: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  scope: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXS,
  },
  problem: {
    display: 'flex',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteRedForeground1,
    wordBreak: 'normal',
    overflowWrap: 'anywhere',
  },
});

/** Entra's warning before a scoping filter change is saved. */
const RESYNC_WARNING =
  'Saving your changes will result in all assigned users and groups being resynchronized.';

const ACTIONS: { flowType: ObjectFlowType; label: string }[] = [
  { flowType: 'Add', label: 'Create' },
  { flowType: 'Update', label: 'Update' },
  { flowType: 'Delete', label: 'Delete' },
];

type OpenDialog =
  | { kind: 'edit'; index: number }
  | { kind: 'add'; initial: AttributeMappingForm }
  | { kind: 'attributes' }
  | { kind: 'builder' }
  | { kind: 'scope' }
  | null;

function downloadSchema(schema: SynchronizationSchema, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(schema, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/** The editor of one object mapping; keeps only the edits (`undefined` = as saved). */
function AttributeMappingEditor({
  app,
  jobId,
  saved,
  mappingIndex,
}: {
  app: ServicePrincipal;
  jobId: string;
  saved: SynchronizationSchema;
  mappingIndex: number;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const readOnly = !useCan().manage;
  const [edited, setEdited] = useState<SynchronizationSchema | undefined>(undefined);
  const [problems, setProblems] = useState<ProblemDetail[]>([]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [advanced, setAdvanced] = useState(false);
  const [confirmResync, setConfirmResync] = useState(false);
  const save = useSchemaSaveMutation(app.id, jobId, app.displayName);
  const validate = useSchemaValidateMutation(app.id, jobId);
  const current = edited ?? saved;
  const dirty = edited !== undefined;
  const resync = dirty && scopeChanged(saved, current);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !save.isPending && currentLocation.pathname !== nextLocation.pathname,
  );

  const located = listObjectMappings(current)[mappingIndex];
  if (!located) {
    return (
      <div className={page.body}>
        <MessageBar intent="warning">
          <MessageBarBody>
            This application has no mapping number {mappingIndex + 1}. Pick a mapping from the list on the{' '}
            <Link to={paths.application(app.id, 'provisioning')}>Provisioning</Link> page.
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  const mapping = located.mapping;
  const { source, target } = objectDefinitions(current, located);
  const sourceAttributes = (source?.attributes ?? []).map((a) => a.name);
  const targetAttributes = target?.attributes ?? [];
  const isUserMapping = mapping.sourceObjectName.toLowerCase() === 'user';
  const sorted = sortProblems(problems, located);
  const builderIds = { servicePrincipalId: app.id, jobId };
  const prefix = `synchronizationRules/${located.ruleIndex}/objectMappings/${located.objectIndex}/attributeMappings/`;

  const change = (fn: (m: typeof mapping) => typeof mapping) =>
    setEdited(updateObjectMapping(current, located, fn));
  const isRequired = (name: string) =>
    targetAttributes.some((a) => a.required && a.name.toLowerCase() === name.toLowerCase());
  const targetsExcept = (index: number) =>
    mapping.attributeMappings.filter((_m, i) => i !== index).map((m) => m.targetAttributeName);

  /** The problems Save would find at `path` once `fn` is applied to this mapping: a dialog's Ok asks before it closes. */
  const problemsAt = async (fn: (m: typeof mapping) => typeof mapping, path: string) => {
    const { problems: found } = await validate.mutateAsync(updateObjectMapping(current, located, fn));
    return found.filter((p) => p.target === path || (p.target ?? '').startsWith(`${path}/`));
  };
  const rowProblems = (index: number, next: AttributeMapping) =>
    problemsAt(
      (m) => ({
        ...m,
        attributeMappings:
          index < m.attributeMappings.length
            ? m.attributeMappings.map((x, i) => (i === index ? next : x))
            : [...m.attributeMappings, next],
      }),
      `${prefix}${index}`,
    );
  const filterProblems = (index: number | null, filter: FilterGroup) => {
    const groups = mapping.scope?.groups ?? [];
    const at = index ?? groups.length;
    return problemsAt(
      (m) =>
        withScopingFilters(
          m,
          index === null ? [...groups, filter] : groups.map((g, i) => (i === index ? filter : g)),
        ),
      `${prefix.replace(/attributeMappings\/$/, '')}scope/groups/${at}`,
    );
  };

  const submit = () => {
    setConfirmResync(false);
    save.mutate(current, {
      onSuccess: () => {
        setEdited(undefined);
        setProblems([]);
      },
      onError: (error) => setProblems(isApiError(error, 'schema.invalid') ? (error.details ?? []) : []),
    });
  };
  const discard = () => {
    setEdited(undefined);
    setProblems([]);
    save.reset();
  };

  const filters = mapping.scope?.groups ?? [];
  const scopeText = scopeSummary(mapping.scope);
  const scopeProblems = [...sorted.scope.values()].flat();
  const problemCount = problems.length;

  return (
    <>
      {readOnly ? null : (
        <Toolbar aria-label="Attribute mapping commands" className={page.commandBar}>
          <ToolbarButton
            appearance="primary"
            icon={save.isPending ? <Spinner size="tiny" /> : <Save20Regular />}
            disabled={!dirty || save.isPending}
            onClick={() => (resync ? setConfirmResync(true) : submit())}
          >
            Save
          </ToolbarButton>
          <ToolbarButton icon={<Dismiss20Regular />} disabled={!dirty || save.isPending} onClick={discard}>
            Discard
          </ToolbarButton>
        </Toolbar>
      )}
      <div className={page.body}>
        <div className={styles.sections}>
          <ReadOnlyNote />
          <Link to={paths.application(app.id, 'provisioning')} className={styles.back}>
            <ArrowLeft20Regular aria-hidden /> Provisioning
          </Link>
          <h2 className={page.sectionTitle}>{mapping.name}</h2>
          {problemCount > 0 ? (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>
                  The mappings were not saved: {problemCount} problem{problemCount > 1 ? 's' : ''} to fix
                </MessageBarTitle>
                Each problem is shown next to its mapping or scoping filter. Fix them and Save again.
                {[...sorted.mapping, ...sorted.other].length > 0 ? (
                  <ul className={styles.list}>
                    {[...sorted.mapping, ...sorted.other].map((p, i) => (
                      <li key={i}>{p.message}</li>
                    ))}
                  </ul>
                ) : null}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {dirty && problemCount === 0 ? (
            <MessageBar intent={resync ? 'warning' : 'info'}>
              <MessageBarBody>
                {resync
                  ? `You have unsaved changes to the scoping filters. ${RESYNC_WARNING}`
                  : 'You have unsaved changes. Saving them starts a new initial cycle: every user in scope is evaluated again.'}
              </MessageBarBody>
            </MessageBar>
          ) : null}

          <dl className={styles.facts}>
            <dt>Name</dt>
            <dd>{mapping.name}</dd>
            <dt>Source Object</dt>
            <dd>{mapping.sourceObjectName}</dd>
            <dt>Target Object</dt>
            <dd>{mapping.targetObjectName}</dd>
            <dt>Source Object Scope</dt>
            <dd className={styles.scope}>
              {readOnly ? (
                <Text>{scopeText}</Text>
              ) : (
                <FluentLink
                  as="button"
                  aria-label={`Source Object Scope: ${scopeText}`}
                  onClick={() => setDialog({ kind: 'scope' })}
                >
                  {scopeText}
                </FluentLink>
              )}
              {scopeProblems.map((p, i) => (
                <Text key={i} className={styles.problem}>
                  <ErrorCircle16Regular aria-hidden />
                  {p.message}
                </Text>
              ))}
            </dd>
          </dl>

          <Field
            label="Enabled"
            hint={
              isUserMapping
                ? "Users are always provisioned: this mapping can't be disabled. Turn Provisioning Status Off to stop."
                : 'No: objects of this type are not provisioned.'
            }
          >
            <RadioGroup
              layout="horizontal"
              value={mapping.enabled ? 'Yes' : 'No'}
              disabled={isUserMapping || readOnly}
              onChange={(_e, d) => change((m) => ({ ...m, enabled: d.value === 'Yes' }))}
            >
              <Radio value="Yes" label="Yes" />
              <Radio value="No" label="No" />
            </RadioGroup>
          </Field>

          <Field
            label="Target Object Actions"
            hint="Clearing Create doesn't affect existing accounts; without it no new accounts are created."
          >
            <div className={styles.checks} role="group" aria-label="Target Object Actions">
              {ACTIONS.map((a) => (
                <Checkbox
                  key={a.flowType}
                  label={a.label}
                  checked={mapping.flowTypes.includes(a.flowType)}
                  disabled={readOnly}
                  onChange={(_e, d) =>
                    change((m) => ({
                      ...m,
                      flowTypes: ACTIONS.map((x) => x.flowType).filter((f) =>
                        f === a.flowType ? d.checked === true : m.flowTypes.includes(f),
                      ),
                    }))
                  }
                />
              ))}
            </div>
          </Field>

          <h3 className={page.sectionTitle}>Attribute Mappings</h3>
          <Text className={page.intro}>
            Attribute mappings define how attributes are synchronized between the directory and{' '}
            {app.displayName}. The matching attributes (with a precedence) are used to find existing accounts.
          </Text>
          {mapping.attributeMappings.length === 0 ? (
            <Text className={page.muted}>
              This mapping has no attribute mappings, so nothing would be sent. Add New Mapping to add one.
            </Text>
          ) : (
            <div className={page.tableScroll}>
              <AttributeMappingsTable
                mappings={mapping.attributeMappings}
                sourceLabel={`${located.sourceDirectoryName} attribute`}
                targetLabel={`${app.displayName} attribute`}
                isRequired={isRequired}
                problems={sorted.rows}
                readOnly={readOnly}
                onEdit={(index) => setDialog({ kind: 'edit', index })}
                onDelete={(index) => {
                  change((m) => ({
                    ...m,
                    attributeMappings: m.attributeMappings.filter((_x, i) => i !== index),
                  }));
                  // Row numbers shift: the old problems no longer point at the right rows.
                  setProblems([]);
                }}
              />
            </div>
          )}
          {readOnly ? null : (
            <div className={styles.actions}>
              <Button
                icon={<Add20Regular />}
                onClick={() => setDialog({ kind: 'add', initial: { ...EMPTY_FORM } })}
              >
                Add New Mapping
              </Button>
            </div>
          )}

          <Checkbox
            label="Show advanced options"
            checked={advanced}
            onChange={(_e, d) => setAdvanced(d.checked === true)}
          />
          {advanced ? (
            <div className={styles.actions}>
              {readOnly ? null : (
                <>
                  <FluentLink as="button" onClick={() => setDialog({ kind: 'attributes' })}>
                    <TextBulletListSquareEdit20Regular aria-hidden /> Edit attribute list for{' '}
                    {app.displayName}
                  </FluentLink>
                  <FluentLink as="button" onClick={() => setDialog({ kind: 'builder' })}>
                    <CodeText20Regular aria-hidden /> Expression builder
                  </FluentLink>
                </>
              )}
              <FluentLink
                as="button"
                onClick={() => downloadSchema(current, `${app.displayName} schema.json`)}
              >
                <ArrowDownload20Regular aria-hidden /> Review your schema (download)
              </FluentLink>
            </div>
          ) : null}
        </div>
      </div>

      {dialog?.kind === 'edit' && mapping.attributeMappings[dialog.index] ? (
        <EditAttributeDialog
          title="Edit Attribute"
          initial={toForm(mapping.attributeMappings[dialog.index]!)}
          base={mapping.attributeMappings[dialog.index]}
          sourceAttributes={sourceAttributes}
          targetAttributes={targetAttributes}
          otherTargets={targetsExcept(dialog.index)}
          serverProblems={sorted.rows.get(dialog.index) ?? []}
          check={(next) => rowProblems(dialog.index, next)}
          builder={builderIds}
          onOk={(next) => {
            const index = dialog.index;
            change((m) => ({
              ...m,
              attributeMappings: m.attributeMappings.map((x, i) => (i === index ? next : x)),
            }));
            setProblems((all) => all.filter((p) => !(p.target ?? '').startsWith(`${prefix}${index}/`)));
            setDialog(null);
          }}
          onCancel={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'add' ? (
        <EditAttributeDialog
          title="Edit Attribute"
          initial={dialog.initial}
          sourceAttributes={sourceAttributes}
          targetAttributes={targetAttributes}
          otherTargets={targetsExcept(-1)}
          serverProblems={[]}
          check={(next) => rowProblems(mapping.attributeMappings.length, next)}
          builder={builderIds}
          onOk={(next) => {
            change((m) => ({ ...m, attributeMappings: [...m.attributeMappings, next] }));
            setDialog(null);
          }}
          onCancel={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'attributes' ? (
        <AttributeListDialog
          applicationName={app.displayName}
          objectName={mapping.targetObjectName}
          attributes={targetAttributes}
          mappedTargets={mapping.attributeMappings.map((m) => m.targetAttributeName)}
          onChange={(attributes) => setEdited(updateTargetAttributes(current, located, () => attributes))}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'scope' ? (
        <SourceObjectScopeDialog
          objectName={mapping.sourceObjectName}
          filters={filters}
          attributes={scopingAttributes(source)}
          problems={sorted.scope}
          check={filterProblems}
          onSave={(index, filter) => {
            change((m) =>
              withScopingFilters(
                m,
                index === null
                  ? [...(m.scope?.groups ?? []), filter]
                  : (m.scope?.groups ?? []).map((g, i) => (i === index ? filter : g)),
              ),
            );
            if (index !== null) setProblems((all) => withoutScopeProblems(all, located, index));
          }}
          onDelete={(index) => {
            change((m) =>
              withScopingFilters(
                m,
                (m.scope?.groups ?? []).filter((_g, i) => i !== index),
              ),
            );
            // Filter numbers shift: the old problems no longer point at the right filters.
            setProblems((all) => withoutScopeProblems(all, located));
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'builder' ? (
        <ExpressionBuilderDialog
          servicePrincipalId={app.id}
          jobId={jobId}
          initialExpression=""
          sourceAttributes={sourceAttributes}
          targetAttribute={null}
          useLabel="Add as new mapping"
          onUse={(expression) =>
            setDialog({ kind: 'add', initial: { ...EMPTY_FORM, mappingType: 'Expression', expression } })
          }
          onClose={() => setDialog(null)}
        />
      ) : null}
      <ConfirmDialog
        open={confirmResync}
        title="Save scoping filters"
        busy={save.isPending}
        onConfirm={submit}
        onCancel={() => setConfirmResync(false)}
      >
        {RESYNC_WARNING} The next cycle is an initial cycle, and {mapping.sourceObjectName.toLowerCase()}s
        that no longer meet the scoping filters are {isUserMapping ? 'disabled' : 'deprovisioned'} in{' '}
        {app.displayName}. Do you want to save?
      </ConfirmDialog>
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Unsaved changes"
        confirmLabel="Discard changes"
        cancelLabel="Stay on this page"
        onConfirm={() => blocker.proceed?.()}
        onCancel={() => blocker.reset?.()}
      >
        You have changes to the attribute mappings of {app.displayName} that are not saved. Leave and discard
        them?
      </ConfirmDialog>
    </>
  );
}

/**
 * Attribute Mapping: one object mapping of the application's provisioning job — Enabled, scope,
 * Target Object Actions, the attribute mappings with the Edit Attribute dialog, advanced options
 * (Edit attribute list, Expression builder) — saved together with Save.
 */
export function AttributeMappingPage() {
  const page = usePageStyles();
  const app = useApplication();
  const mappingIndex = Number(useParams()['mappingIndex'] ?? '0');
  const servicePrincipalId = app?.id ?? '';
  const job = useProvisioningJobQuery(servicePrincipalId);
  const schema = useSchemaQuery(servicePrincipalId, job.data?.id);
  if (!app) return null;

  if (job.isPending || (job.data && schema.isPending))
    return <LoadingState label="Loading attribute mappings…" />;
  if (job.isError && job.data === undefined) {
    return (
      <div className={page.body}>
        <ErrorState
          title="The provisioning job could not be loaded"
          error={job.error}
          onRetry={() => void job.refetch()}
        />
      </div>
    );
  }
  if (!job.data) {
    return (
      <div className={page.body}>
        <Text>
          {app.displayName} has no provisioning configuration yet. Enter its admin credentials on the{' '}
          <Link to={paths.application(app.id, 'provisioning')}>Provisioning</Link> page and save; the default
          mappings then appear here.
        </Text>
      </div>
    );
  }
  if (schema.isError || !schema.data) {
    return (
      <div className={page.body}>
        <ErrorState
          title="The attribute mappings could not be loaded"
          error={schema.error}
          onRetry={() => void schema.refetch()}
        />
      </div>
    );
  }
  return (
    <AttributeMappingEditor
      key={job.data.id}
      app={app}
      jobId={job.data.id}
      saved={schema.data}
      mappingIndex={Number.isInteger(mappingIndex) && mappingIndex >= 0 ? mappingIndex : -1}
    />
  );
}
