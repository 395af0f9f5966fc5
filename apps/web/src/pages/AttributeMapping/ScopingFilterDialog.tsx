import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
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
import { Add20Regular, Delete20Regular } from '@fluentui/react-icons';
import type { FilterGroup } from '@provisio/contracts';
import { useState } from 'react';
import {
  emptyClause,
  fromScopingFilterForm,
  hasScopingFilterProblems,
  operandOf,
  placeOfScopeProblem,
  scopingFilterProblems,
  SCOPING_OPERATORS,
  type ClauseField,
  type ClauseForm,
  type ProblemDetail,
  type ScopingFilterForm,
} from './mapping-model';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '960px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { maxWidth: '480px' },
  intro: { color: tokens.colorNeutralForeground2, margin: 0 },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '720px' },
  cell: {
    verticalAlign: 'top',
    paddingTop: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalXS,
  },
  control: { minWidth: '0', width: '100%' },
  muted: {
    color: tokens.colorNeutralForeground3,
    display: 'inline-block',
    paddingTop: tokens.spacingVerticalS,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const PLACEHOLDER = {
  none: '',
  text: 'Value',
  regex: 'e.g. .*@contoso\\.com',
  integer: 'e.g. 100000',
} as const;

/** A label that names the input for assistive technology; the column header shows it. */
const hiddenLabel = (text: string) => ({ children: text, className: 'visually-hidden' });

/**
 * Add / Edit Scoping Filter, as Entra shows it: the Scoping Filter Title and its clauses (Source
 * attribute, Operator, Clause value), all of which must hold for a user to be in scope. Ok returns
 * the filter to the page's unsaved edits; the last Save's problems appear at their fields until
 * those fields change.
 */
export function ScopingFilterDialog({
  title,
  initial,
  attributes,
  otherTitles,
  serverProblems,
  check,
  onOk,
  onCancel,
}: {
  title: string;
  initial: ScopingFilterForm;
  /** The source attributes a clause may test. */
  attributes: readonly string[];
  /** The titles of the other filters, which this one may not take. */
  otherTitles: readonly string[];
  /** What the last Save said about this filter. */
  serverProblems: readonly ProblemDetail[];
  /** The problems Save would find in the filter (the engine's scoping filter compiler); Ok closes only without any. */
  check: (filter: FilterGroup) => Promise<readonly ProblemDetail[]>;
  onOk: (filter: FilterGroup) => void;
  onCancel: () => void;
}) {
  useReturnFocus();
  const styles = useStyles();
  const [form, setForm] = useState(initial);
  const [checked, setChecked] = useState(false);
  const [checking, setChecking] = useState(false);
  // What the server said at Ok about the form as it then was; it no longer applies once the form changes.
  const [refused, setRefused] = useState<{ form: ScopingFilterForm; problems: readonly ProblemDetail[] }>();
  const local = checked ? scopingFilterProblems(form, otherTitles) : { clause: [] };

  const editClause = (index: number, patch: Partial<ClauseForm>) =>
    setForm((f) => ({ ...f, clauses: f.clauses.map((c, i) => (i === index ? { ...c, ...patch } : c)) }));

  // The server's problems speak of the values it saw; once a field changes they no longer apply.
  const savedClause = (c: ClauseForm) => (c.origin === null ? undefined : initial.clauses[c.origin]);
  const unchanged = (c: ClauseForm, field: ClauseField) => {
    const before = savedClause(c);
    if (!before) return false;
    if (field === 'value') return before.value === c.value && before.operator === c.operator;
    return before[field] === c[field];
  };
  const server = {
    title: [] as string[],
    clauses: [] as string[],
    general: [] as string[],
    clause: new Map<string, string[]>(),
  };
  for (const p of refused?.form === form ? refused.problems : []) {
    // Checked on the form as it is: clause numbers are the rows' own.
    const place = placeOfScopeProblem(p);
    if (place.field === 'title') server.title.push(p.message);
    else if (place.field === 'clauses') server.clauses.push(p.message);
    else if (place.field === null) server.general.push(p.message);
    else {
      const key = `${place.clause}/${place.field}`;
      server.clause.set(key, [...(server.clause.get(key) ?? []), p.message]);
    }
  }
  for (const p of serverProblems) {
    const place = placeOfScopeProblem(p);
    if (place.field === 'title') {
      if (form.title === initial.title) server.title.push(p.message);
    } else if (place.field === 'clauses') {
      server.clauses.push(p.message);
    } else if (place.field === null) {
      server.general.push(p.message);
    } else {
      const row = form.clauses.findIndex((c) => c.origin === place.clause);
      const clause = form.clauses[row];
      if (clause && unchanged(clause, place.field)) {
        const key = `${row}/${place.field}`;
        server.clause.set(key, [...(server.clause.get(key) ?? []), p.message]);
      }
    }
  }
  const titleMessage = local.title ?? (server.title.length > 0 ? server.title.join(' ') : undefined);
  const clauseMessage = (row: number, field: ClauseField) =>
    local.clause[row]?.[field] ?? server.clause.get(`${row}/${field}`)?.join(' ');
  const listMessage = local.clauses ?? (server.clauses.length > 0 ? server.clauses.join(' ') : undefined);

  const ok = async () => {
    setChecked(true);
    if (hasScopingFilterProblems(scopingFilterProblems(form, otherTitles))) return;
    const filter = fromScopingFilterForm(form);
    setChecking(true);
    try {
      const problems = await check(filter);
      if (problems.length > 0) {
        setRefused({ form, problems });
        return;
      }
    } catch {
      // The check could not be made (the failure is shown); the dialog stays open to try again.
      return;
    } finally {
      setChecking(false);
    }
    onOk(filter);
  };

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onCancel())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            {server.general.length > 0 ? (
              <MessageBar intent="error" layout="multiline">
                <MessageBarBody>{server.general.join(' ')}</MessageBarBody>
              </MessageBar>
            ) : null}
            <Field
              label="Scoping Filter Title"
              required
              className={styles.title}
              validationState={titleMessage ? 'error' : 'none'}
              validationMessage={titleMessage}
            >
              <Input value={form.title} onChange={(_e, d) => setForm((f) => ({ ...f, title: d.value }))} />
            </Field>
            <Text as="p" className={styles.intro}>
              A user meets this filter when every clause is true (AND); a user is in scope when it meets any
              of the filters (OR). Comparisons are case sensitive, and a clause on an empty attribute is
              false.
            </Text>
            <div className={styles.scroll}>
              <Table aria-label="Scoping clauses" size="small" className={styles.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Source attribute</TableHeaderCell>
                    <TableHeaderCell style={{ width: 230 }}>Operator</TableHeaderCell>
                    <TableHeaderCell>Clause value</TableHeaderCell>
                    <TableHeaderCell style={{ width: 56 }}>
                      <span className="visually-hidden">Delete</span>
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {form.clauses.map((c, i) => (
                    <ClauseRow
                      key={i}
                      index={i}
                      clause={c}
                      attributes={attributes}
                      message={(field) => clauseMessage(i, field)}
                      onChange={(patch) => editClause(i, patch)}
                      onDelete={() =>
                        setForm((f) => ({ ...f, clauses: f.clauses.filter((_x, k) => k !== i) }))
                      }
                    />
                  ))}
                </TableBody>
              </Table>
            </div>
            {form.clauses.length === 0 && !listMessage ? (
              <Text className={styles.muted}>
                This filter has no clauses yet. Add new scoping clause to say which users it lets through.
              </Text>
            ) : null}
            {listMessage ? (
              <Text role="alert" className={styles.error}>
                {listMessage}
              </Text>
            ) : null}
            <div>
              <Button
                icon={<Add20Regular />}
                onClick={() => setForm((f) => ({ ...f, clauses: [...f.clauses, emptyClause()] }))}
              >
                Add new scoping clause
              </Button>
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabledFocusable={checking} onClick={() => void ok()}>
              {checking ? 'Checking…' : 'Ok'}
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function ClauseRow({
  index,
  clause,
  attributes,
  message,
  onChange,
  onDelete,
}: {
  index: number;
  clause: ClauseForm;
  attributes: readonly string[];
  message: (field: ClauseField) => string | undefined;
  onChange: (patch: Partial<ClauseForm>) => void;
  onDelete: () => void;
}) {
  const styles = useStyles();
  const operand = operandOf(clause.operator);
  // A value saved through the API may name what the lists lack; it stays visible and selectable.
  const attributeOptions =
    !clause.attribute || attributes.includes(clause.attribute)
      ? attributes
      : [clause.attribute, ...attributes];
  const operatorOptions = [
    ...(operand === null && clause.operator ? [clause.operator] : []),
    ...SCOPING_OPERATORS.map((o) => o.name),
  ];
  const state = (field: ClauseField) => (message(field) ? 'error' : 'none');
  const n = index + 1;

  return (
    <TableRow aria-label={`Clause ${n}`}>
      <TableCell className={styles.cell}>
        <Field
          label={hiddenLabel('Source attribute')}
          validationState={state('attribute')}
          validationMessage={message('attribute')}
        >
          <Dropdown
            className={styles.control}
            placeholder="Pick an attribute"
            value={clause.attribute}
            selectedOptions={clause.attribute ? [clause.attribute] : []}
            onOptionSelect={(_e, d) => onChange({ attribute: d.optionValue ?? '' })}
          >
            {attributeOptions.map((a) => (
              <Option key={a} value={a}>
                {a}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </TableCell>
      <TableCell className={styles.cell}>
        <Field
          label={hiddenLabel('Operator')}
          validationState={state('operator')}
          validationMessage={message('operator')}
        >
          <Dropdown
            className={styles.control}
            placeholder="Pick an operator"
            value={clause.operator}
            selectedOptions={clause.operator ? [clause.operator] : []}
            onOptionSelect={(_e, d) => onChange({ operator: d.optionValue ?? '' })}
          >
            {operatorOptions.map((o) => (
              <Option key={o} value={o}>
                {o}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </TableCell>
      <TableCell className={styles.cell}>
        {operand === 'none' ? (
          <Text className={styles.muted}>No value: {clause.operator} tests the attribute alone</Text>
        ) : (
          <Field
            label={hiddenLabel('Clause value')}
            validationState={state('value')}
            validationMessage={message('value')}
            hint={
              clause.moreValues.length > 0
                ? `Also matches ${clause.moreValues.map((v) => `"${v}"`).join(', ')} (set through the API; kept).`
                : undefined
            }
          >
            <Input
              className={styles.control}
              value={clause.value}
              placeholder={PLACEHOLDER[operand ?? 'text']}
              onChange={(_e, d) => onChange({ value: d.value })}
            />
          </Field>
        )}
      </TableCell>
      <TableCell className={styles.cell}>
        <Button
          appearance="subtle"
          icon={<Delete20Regular />}
          aria-label={`Delete clause ${n}`}
          onClick={onDelete}
        />
      </TableCell>
    </TableRow>
  );
}
