import {
  Button,
  Combobox,
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
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type {
  AttributeDefinition,
  AttributeMappingFunctionSchema,
  ParseExpressionRequest,
  ParseExpressionResponse,
} from '@provisio/contracts';
import { useMemo, useRef, useState } from 'react';
import { allItems } from '../../api/collections';
import { ErrorState } from '../../components/ErrorState';
import { useExpressionParseMutation } from '../../data/synchronization/expression-parse-mutation';
import { useMappingFunctionsQuery } from '../../data/synchronization/functions-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { describePosition, ExpressionText } from './ExpressionText';
import { attributesInExpression, insertAt } from './mapping-model';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '1040px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXL,
    '@media (max-width: 800px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  pickRow: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0 },
  signature: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3 },
  editor: { fontFamily: tokens.fontFamilyMonospace },
  sectionTitle: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  output: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    minHeight: '80px',
  },
  value: {
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    wordBreak: 'break-all',
  },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** `Join(separator, source, …)` — how a function is called, from its parameters. */
export function signatureOf(f: AttributeMappingFunctionSchema): string {
  const params = f.parameters.map(
    (p) => `${p.name}${p.required ? '' : '?'}${p.allowMultipleOccurrence ? ', …' : ''}`,
  );
  return `${f.name}(${params.join(', ')})`;
}

type TestMode = 'user' | 'values';

interface PickedUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

function Output({ expression, result }: { expression: string; result: ParseExpressionResponse }) {
  const styles = useStyles();
  const read =
    result.inputValues.length > 0
      ? result.inputValues
      : result.attributesRead.map((key) => ({ key, value: undefined as string | null | undefined }));
  return (
    <>
      {!result.parsingSucceeded && result.error ? (
        <>
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                The expression is not valid
                {describePosition(result.error) ? ` (${describePosition(result.error)})` : ''}
              </MessageBarTitle>
              {result.error.hint && !result.error.message.includes(result.error.hint)
                ? `${result.error.message} (${result.error.hint})`
                : result.error.message}
            </MessageBarBody>
          </MessageBar>
          <ExpressionText text={expression} error={result.error} />
        </>
      ) : null}
      {result.parsingSucceeded && !result.evaluationSucceeded && result.error ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The expression could not be evaluated with these values</MessageBarTitle>
            {result.error.message}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {result.parsingSucceeded && !result.evaluationSucceeded && !result.error ? (
        <Text>The expression is valid. Pick a user or type test values to see its output.</Text>
      ) : null}
      {result.evaluationSucceeded ? (
        <div>
          <Text weight="semibold">Output</Text>
          {result.flow === 'Value' && result.evaluationResult ? (
            result.evaluationResult.map((v, i) => (
              <div key={i} className={styles.value}>
                {v}
              </div>
            ))
          ) : (
            <Text block className={styles.muted}>
              {result.flow === 'IgnoreAttribute'
                ? 'No value: the attribute is left out of what is sent (IgnoreFlowIfNullOrEmpty / IgnoreAttributeFlow).'
                : result.flow === 'IgnoreObject'
                  ? 'IgnoreObjectFlow: this user would not be provisioned.'
                  : 'No value (null): the attribute is not provisioned; a default value applies on creation.'}
            </Text>
          )}
          {result.redacted ? (
            <Text block size={200} className={styles.muted}>
              Redact: the provisioning logs show [Redact] instead of this value.
            </Text>
          ) : null}
        </div>
      ) : null}
      {read.length > 0 ? (
        <div>
          <Text weight="semibold">Attributes read</Text>
          <ul className={styles.list} aria-label="Attributes read">
            {read.map((a) => (
              <li key={a.key}>
                <span className={styles.signature}>[{a.key}]</span>
                {a.value === undefined ? null : a.value === null ? ' (absent)' : ` = ${a.value}`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/**
 * The expression builder: type an expression or assemble it from the function and attribute
 * pickers, test it against a directory user (read as a cycle reads it) or typed values, see the
 * output, the attributes it reads and any error highlighted where it is; then use it.
 */
export function ExpressionBuilderDialog({
  servicePrincipalId,
  jobId,
  initialExpression,
  sourceAttributes,
  targetAttribute,
  useLabel = 'Use this expression',
  onUse,
  onClose,
}: {
  servicePrincipalId: string;
  jobId: string;
  initialExpression: string;
  sourceAttributes: readonly string[];
  /** The attribute the expression is for: its type shapes the output (Boolean → True/False). */
  targetAttribute: AttributeDefinition | null;
  useLabel?: string;
  /** Puts the expression into the mapping being edited; null when there is none (copy it instead). */
  onUse: ((expression: string) => void) | null;
  onClose: () => void;
}) {
  useReturnFocus();
  const styles = useStyles();
  const [expression, setExpression] = useState(initialExpression);
  const editor = useRef<HTMLTextAreaElement>(null);
  const functions = useMappingFunctionsQuery(servicePrincipalId, jobId);
  const [functionQuery, setFunctionQuery] = useState('');
  const [functionName, setFunctionName] = useState<string | undefined>(undefined);
  // The lists open as soon as something is typed, pasted or filled in, not only on arrow keys.
  const [functionsOpen, setFunctionsOpen] = useState(false);
  const [usersOpen, setUsersOpen] = useState(false);
  const [attribute, setAttribute] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<TestMode>('user');
  const [userQuery, setUserQuery] = useState('');
  const debouncedUserQuery = useDebouncedValue(userQuery);
  const [user, setUser] = useState<PickedUser | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const users = useUsersQuery(debouncedUserQuery, { top: 10, enabled: mode === 'user' });
  const test = useExpressionParseMutation(servicePrincipalId, jobId);
  // A result speaks of the expression it tested; editing the text keeps it visible but marks it stale.
  const [testedExpression, setTestedExpression] = useState<string | null>(null);

  const selectedFunction = functions.data?.find((f) => f.name === functionName);
  const visibleFunctions = useMemo(() => {
    const q = functionQuery.trim().toLowerCase();
    const all = functions.data ?? [];
    return q && q !== functionName?.toLowerCase() ? all.filter((f) => f.name.toLowerCase().includes(q)) : all;
  }, [functions.data, functionQuery, functionName]);
  const typedAttributes = useMemo(() => attributesInExpression(expression), [expression]);
  const userOptions = allItems(users.data);

  const insert = (text: string, caretOffset = text.length) => {
    const el = editor.current;
    const selection = el
      ? { start: el.selectionStart, end: el.selectionEnd }
      : { start: expression.length, end: expression.length };
    const next = insertAt(expression, selection, text, caretOffset);
    setExpression(next.text);
    // The caret goes where typing continues: inside the parentheses of an inserted function.
    window.requestAnimationFrame(() => {
      editor.current?.focus();
      editor.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const runTest = () => {
    const request: ParseExpressionRequest = { expression };
    if (targetAttribute) request.targetAttributeDefinition = targetAttribute;
    if (mode === 'user' && user) request.testUserId = user.id;
    if (mode === 'values') {
      request.testInputObject = {
        properties: typedAttributes.map((key) => ({ key, value: values[key] ? values[key] : null })),
      };
    }
    setTestedExpression(expression);
    test.mutate(request);
  };

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Expression builder</DialogTitle>
          <DialogContent className={styles.content}>
            <Text className={styles.muted}>
              Write an expression, or pick a function and attributes to insert them where the cursor is. Test
              it against a directory user or typed values, then use it in the mapping.
            </Text>
            <div className={styles.columns}>
              <div className={styles.column}>
                {functions.isError ? (
                  <ErrorState
                    title="The functions could not be loaded"
                    error={functions.error}
                    onRetry={() => void functions.refetch()}
                  />
                ) : null}
                <div className={styles.pickRow}>
                  <Field label="Function" className={styles.grow}>
                    <Combobox
                      placeholder={functions.isPending ? 'Loading functions…' : 'Search functions'}
                      value={functionQuery}
                      selectedOptions={functionName ? [functionName] : []}
                      open={functionsOpen}
                      onOpenChange={(_e, d) => setFunctionsOpen(d.open)}
                      onChange={(e) => {
                        setFunctionQuery(e.target.value);
                        setFunctionsOpen(true);
                      }}
                      onOptionSelect={(_e, d) => {
                        setFunctionName(d.optionValue);
                        setFunctionQuery(d.optionText ?? '');
                        setFunctionsOpen(false);
                      }}
                    >
                      {visibleFunctions.map((f) => (
                        <Option key={f.name} value={f.name} text={f.name}>
                          {f.name}
                        </Option>
                      ))}
                    </Combobox>
                  </Field>
                  <Button
                    disabled={!selectedFunction}
                    onClick={() =>
                      selectedFunction &&
                      insert(`${selectedFunction.name}()`, selectedFunction.name.length + 1)
                    }
                  >
                    Insert function
                  </Button>
                </div>
                {selectedFunction ? (
                  <div aria-live="polite">
                    <div className={styles.signature}>{signatureOf(selectedFunction)}</div>
                    <Text size={200} className={styles.muted}>
                      {selectedFunction.description}
                    </Text>
                  </div>
                ) : null}
                <div className={styles.pickRow}>
                  <Field label="Attribute" className={styles.grow}>
                    <Dropdown
                      placeholder="Pick a source attribute"
                      value={attribute ?? ''}
                      selectedOptions={attribute ? [attribute] : []}
                      onOptionSelect={(_e, d) => setAttribute(d.optionValue)}
                    >
                      {sourceAttributes.map((a) => (
                        <Option key={a} value={a}>
                          {a}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  <Button disabled={!attribute} onClick={() => attribute && insert(`[${attribute}]`)}>
                    Insert attribute
                  </Button>
                </div>
                <Field
                  label="Expression"
                  hint='Attributes in [brackets], text in "quotes", e.g. Join(" ", [givenName], [surname]).'
                >
                  <Textarea
                    ref={editor}
                    className={styles.editor}
                    resize="vertical"
                    rows={5}
                    value={expression}
                    onChange={(_e, d) => setExpression(d.value)}
                  />
                </Field>
              </div>
              <div className={styles.column}>
                <h3 className={styles.sectionTitle}>Test expression</h3>
                <Field label="Test with">
                  <RadioGroup
                    layout="horizontal"
                    value={mode}
                    onChange={(_e, d) => setMode(d.value as TestMode)}
                  >
                    <Radio value="user" label="A directory user" />
                    <Radio value="values" label="Typed values" />
                  </RadioGroup>
                </Field>
                {mode === 'user' ? (
                  <Field
                    label="Directory user"
                    hint="The user is read as a provisioning cycle reads it, assignment and scope included."
                    validationState={users.isError ? 'error' : 'none'}
                    validationMessage={users.isError ? 'Users could not be searched. Try again.' : undefined}
                  >
                    <Combobox
                      placeholder="Search by name"
                      value={userQuery}
                      selectedOptions={user ? [user.id] : []}
                      open={usersOpen}
                      onOpenChange={(_e, d) => setUsersOpen(d.open)}
                      onChange={(e) => {
                        setUserQuery(e.target.value);
                        setUser(null);
                        setUsersOpen(true);
                      }}
                      onOptionSelect={(_e, d) => {
                        const picked = userOptions.find((u) => u.id === d.optionValue);
                        if (!picked) return;
                        setUser({
                          id: picked.id,
                          displayName: picked.displayName,
                          userPrincipalName: picked.userPrincipalName,
                        });
                        setUserQuery(picked.displayName);
                        setUsersOpen(false);
                      }}
                    >
                      {userOptions.map((u) => (
                        <Option key={u.id} value={u.id} text={u.displayName}>
                          {u.displayName} ({u.userPrincipalName})
                        </Option>
                      ))}
                      {users.isSuccess && userOptions.length === 0 ? (
                        <Option value="" disabled text="No users match">
                          No users match. Check the spelling.
                        </Option>
                      ) : null}
                    </Combobox>
                  </Field>
                ) : typedAttributes.length === 0 ? (
                  <Text className={styles.muted}>The expression reads no attributes: test it as it is.</Text>
                ) : (
                  typedAttributes.map((name) => (
                    <Field key={name} label={name} hint="Leave empty to test the attribute as absent.">
                      <Input
                        value={values[name] ?? ''}
                        onChange={(_e, d) => setValues((v) => ({ ...v, [name]: d.value }))}
                      />
                    </Field>
                  ))
                )}
                <div>
                  <Button
                    appearance="secondary"
                    disabled={!expression.trim() || test.isPending}
                    onClick={runTest}
                  >
                    Test expression
                  </Button>
                </div>
                <section aria-label="Expression output" className={styles.output}>
                  {test.isPending ? <Spinner size="tiny" label="Testing…" labelPosition="after" /> : null}
                  {!test.isPending && test.data && testedExpression !== null ? (
                    <>
                      {testedExpression !== expression ? (
                        <Text size={200} className={styles.muted}>
                          The expression changed since this test. Test it again.
                        </Text>
                      ) : null}
                      <Output expression={testedExpression} result={test.data} />
                    </>
                  ) : null}
                  {!test.isPending && !test.data ? (
                    <Text className={styles.muted}>
                      {mode === 'user' && !user
                        ? 'Pick a user, then Test expression to see the output here.'
                        : 'Test expression to see the output here.'}
                    </Text>
                  ) : null}
                </section>
              </div>
            </div>
          </DialogContent>
          <DialogActions>
            {onUse ? (
              <Button appearance="primary" disabled={!expression.trim()} onClick={() => onUse(expression)}>
                {useLabel}
              </Button>
            ) : null}
            <Button onClick={onClose}>{onUse ? 'Cancel' : 'Close'}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
