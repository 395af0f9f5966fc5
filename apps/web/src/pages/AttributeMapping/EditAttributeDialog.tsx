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
  Option,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CodeText20Regular } from '@fluentui/react-icons';
import type { AttributeDefinition, AttributeMapping } from '@provisio/contracts';
import { useState } from 'react';
import { ExpressionBuilderDialog } from './ExpressionBuilderDialog';
import { ExpressionText } from './ExpressionText';
import {
  fieldOfProblem,
  formProblems,
  fromForm,
  MAPPING_TYPES,
  type AttributeMappingForm,
  type FormField,
  type MappingType,
  type ProblemDetail,
} from './mapping-model';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  editor: { fontFamily: tokens.fontFamilyMonospace },
  inline: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
});

const APPLY = { always: 'Always', create: 'Only during object creation' } as const;

/**
 * Edit Attribute, as Entra shows it: Mapping type (Direct, Constant, Expression, None), the source
 * for that type, Default value if null, Target attribute, Match objects using this attribute with
 * its Matching precedence, and Apply this mapping. The expression builder opens from here.
 */
export function EditAttributeDialog({
  title,
  initial,
  base,
  sourceAttributes,
  targetAttributes,
  otherTargets,
  serverProblems,
  check,
  builder,
  onOk,
  onCancel,
}: {
  title: string;
  initial: AttributeMappingForm;
  base?: AttributeMapping | undefined;
  sourceAttributes: readonly string[];
  targetAttributes: readonly AttributeDefinition[];
  /** The targets of the other rows, which this one may not take. */
  otherTargets: readonly string[];
  /** What the last Save said about this row. */
  serverProblems: readonly ProblemDetail[];
  /** The problems Save would find in the mapping (the server's own checks); Ok closes only without any. */
  check: (mapping: AttributeMapping) => Promise<readonly ProblemDetail[]>;
  builder: { servicePrincipalId: string; jobId: string };
  onOk: (mapping: AttributeMapping) => void;
  onCancel: () => void;
}) {
  useReturnFocus();
  const styles = useStyles();
  const [form, setForm] = useState(initial);
  const [checked, setChecked] = useState(false);
  const [builderOpen, setBuilderOpen] = useState(false);
  const [checking, setChecking] = useState(false);
  // What the server said at Ok about the form as it then was; it no longer applies once the form changes.
  const [refused, setRefused] = useState<{
    form: AttributeMappingForm;
    problems: readonly ProblemDetail[];
  }>();
  const edit = (patch: Partial<AttributeMappingForm>) => setForm((f) => ({ ...f, ...patch }));

  const local = checked ? formProblems(form, otherTargets) : {};
  // The server's problems speak of the values it saw; once a field changes they no longer apply.
  const server: Partial<Record<FormField, ProblemDetail>> = {};
  for (const p of refused?.form === form ? refused.problems : []) {
    const field = fieldOfProblem(p) ?? 'expression';
    if (!server[field]) server[field] = p;
  }
  for (const p of serverProblems) {
    const field = fieldOfProblem(p);
    if (field && form[field] === initial[field] && !server[field]) server[field] = p;
  }
  const message = (field: FormField) => local[field] ?? server[field]?.message;
  const state = (field: FormField) => (message(field) ? 'error' : 'none');
  const expressionProblem = server.expression;
  const targetDefinition =
    targetAttributes.find((a) => a.name.toLowerCase() === form.targetAttribute.toLowerCase()) ?? null;
  const targetOptions =
    targetAttributes.some((a) => a.name === form.targetAttribute) || !form.targetAttribute
      ? targetAttributes.map((a) => a.name)
      : [form.targetAttribute, ...targetAttributes.map((a) => a.name)];
  const sourceOptions =
    sourceAttributes.includes(form.sourceAttribute) || !form.sourceAttribute
      ? sourceAttributes
      : [form.sourceAttribute, ...sourceAttributes];

  const ok = async () => {
    setChecked(true);
    if (Object.keys(formProblems(form, otherTargets)).length > 0) return;
    const next = fromForm(form, base);
    setChecking(true);
    try {
      const problems = await check(next);
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
    onOk(next);
  };

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onCancel())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={styles.content}>
            <Field label="Mapping type" required>
              <Dropdown
                value={form.mappingType}
                selectedOptions={[form.mappingType]}
                onOptionSelect={(_e, d) => edit({ mappingType: d.optionValue as MappingType })}
              >
                {MAPPING_TYPES.map((t) => (
                  <Option key={t} value={t}>
                    {t}
                  </Option>
                ))}
              </Dropdown>
            </Field>

            {form.mappingType === 'Direct' ? (
              <Field
                label="Source attribute"
                required
                validationState={state('sourceAttribute')}
                validationMessage={message('sourceAttribute')}
              >
                <Dropdown
                  placeholder="Pick a source attribute"
                  value={form.sourceAttribute}
                  selectedOptions={form.sourceAttribute ? [form.sourceAttribute] : []}
                  onOptionSelect={(_e, d) => edit({ sourceAttribute: d.optionValue ?? '' })}
                >
                  {sourceOptions.map((a) => (
                    <Option key={a} value={a}>
                      {a}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
            ) : null}

            {form.mappingType === 'Constant' ? (
              <Field label="Constant Value">
                <Input value={form.constantValue} onChange={(_e, d) => edit({ constantValue: d.value })} />
              </Field>
            ) : null}

            {form.mappingType === 'Expression' ? (
              <>
                <div className={styles.inline}>
                  <Field
                    label="Expression"
                    required
                    className={styles.grow}
                    validationState={state('expression')}
                    validationMessage={message('expression')}
                  >
                    <Textarea
                      className={styles.editor}
                      resize="vertical"
                      rows={3}
                      value={form.expression}
                      onChange={(_e, d) => edit({ expression: d.value })}
                    />
                  </Field>
                </div>
                {expressionProblem && expressionProblem.start !== undefined ? (
                  <ExpressionText text={form.expression} error={expressionProblem} />
                ) : null}
                <div>
                  <Button icon={<CodeText20Regular />} onClick={() => setBuilderOpen(true)}>
                    Expression builder
                  </Button>
                </div>
              </>
            ) : null}

            {form.mappingType !== 'Constant' ? (
              <Field
                label="Default value if null (optional)"
                hint="Sent when the source gives no value, and only when the account is created."
              >
                <Input value={form.defaultValue} onChange={(_e, d) => edit({ defaultValue: d.value })} />
              </Field>
            ) : null}

            <Field
              label="Target attribute"
              required
              validationState={state('targetAttribute')}
              validationMessage={message('targetAttribute')}
            >
              <Dropdown
                placeholder="Pick the target attribute"
                value={form.targetAttribute}
                selectedOptions={form.targetAttribute ? [form.targetAttribute] : []}
                onOptionSelect={(_e, d) => edit({ targetAttribute: d.optionValue ?? '' })}
              >
                {targetOptions.map((a) => (
                  <Option key={a} value={a}>
                    {a}
                  </Option>
                ))}
              </Dropdown>
            </Field>

            <Field
              label="Match objects using this attribute"
              validationState={state('matching')}
              validationMessage={message('matching')}
            >
              <Dropdown
                value={form.matching ? 'Yes' : 'No'}
                selectedOptions={[form.matching ? 'Yes' : 'No']}
                onOptionSelect={(_e, d) => edit({ matching: d.optionValue === 'Yes' })}
              >
                <Option value="Yes">Yes</Option>
                <Option value="No">No</Option>
              </Dropdown>
            </Field>

            <Field
              label="Matching precedence"
              hint="Matching attributes are tried in this order; the first that finds an account wins."
              validationState={state('matchingPrecedence')}
              validationMessage={message('matchingPrecedence')}
            >
              <Input
                type="number"
                min={1}
                disabled={!form.matching}
                value={String(form.matchingPrecedence)}
                onChange={(_e, d) => edit({ matchingPrecedence: Number(d.value) })}
              />
            </Field>

            <Field
              label="Apply this mapping"
              validationState={state('onlyOnCreate')}
              validationMessage={message('onlyOnCreate')}
            >
              <Dropdown
                value={form.onlyOnCreate ? APPLY.create : APPLY.always}
                selectedOptions={[form.onlyOnCreate ? 'create' : 'always']}
                onOptionSelect={(_e, d) => edit({ onlyOnCreate: d.optionValue === 'create' })}
              >
                <Option value="always">{APPLY.always}</Option>
                <Option value="create">{APPLY.create}</Option>
              </Dropdown>
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabledFocusable={checking} onClick={() => void ok()}>
              {checking ? 'Checking…' : 'Ok'}
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
          {/* Rendered inside the dialog so that Fluent stacks it as a nested dialog. */}
          {builderOpen ? (
            <ExpressionBuilderDialog
              servicePrincipalId={builder.servicePrincipalId}
              jobId={builder.jobId}
              initialExpression={form.expression}
              sourceAttributes={sourceAttributes}
              targetAttribute={targetDefinition}
              onUse={(expression) => {
                edit({ expression, mappingType: 'Expression' });
                setBuilderOpen(false);
              }}
              onClose={() => setBuilderOpen(false)}
            />
          ) : null}
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
