import {
  Button,
  Checkbox,
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
import type { AttributeDefinition } from '@provisio/contracts';
import { useState } from 'react';
import { attributeNameProblem, newAttributeDefinition } from './mapping-model';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '1000px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  scroll: { maxHeight: '360px', overflowY: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
  name: { wordBreak: 'break-all', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  add: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  addRow: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  type: { width: '180px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const TYPES: AttributeDefinition['type'][] = [
  'String',
  'Boolean',
  'Integer',
  'DateTime',
  'Reference',
  'Binary',
];

interface NewAttribute {
  name: string;
  type: AttributeDefinition['type'];
  required: boolean;
  multivalued: boolean;
  caseExact: boolean;
}
const EMPTY: NewAttribute = {
  name: '',
  type: 'String',
  required: false,
  multivalued: false,
  caseExact: false,
};

/**
 * Edit attribute list for <App>: the target object's attributes with Type, Required, Multi-value
 * and Exact case; add one (extension URNs included) or remove one no mapping uses. Changes join
 * the page's unsaved edits and are saved with its Save.
 */
export function AttributeListDialog({
  applicationName,
  objectName,
  attributes,
  mappedTargets,
  onChange,
  onClose,
}: {
  applicationName: string;
  objectName: string;
  attributes: readonly AttributeDefinition[];
  /** Targets of attribute mappings, which cannot be removed from the list. */
  mappedTargets: readonly string[];
  onChange: (attributes: AttributeDefinition[]) => void;
  onClose: () => void;
}) {
  useReturnFocus();
  const styles = useStyles();
  const [draft, setDraft] = useState<NewAttribute>(EMPTY);
  const [tried, setTried] = useState(false);
  const problem = tried ? attributeNameProblem(draft.name, attributes) : undefined;
  const isMapped = (name: string) => mappedTargets.some((t) => t.toLowerCase() === name.toLowerCase());

  const setFlag = (index: number, patch: Partial<AttributeDefinition>) =>
    onChange(attributes.map((a, i) => (i === index ? { ...a, ...patch } : a)));

  const add = () => {
    setTried(true);
    if (attributeNameProblem(draft.name, attributes)) return;
    onChange([...attributes, newAttributeDefinition(draft)]);
    setDraft(EMPTY);
    setTried(false);
  };

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Edit attribute list for {applicationName}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text className={styles.muted}>
              The attributes of {objectName} that mappings can write. Add the attributes {applicationName}{' '}
              supports beyond the defaults, such as an extension attribute
              (urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter). Changes are
              saved with the mappings.
            </Text>
            <div className={styles.scroll}>
              <Table aria-label="Target attributes" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Name</TableHeaderCell>
                    <TableHeaderCell style={{ width: 110 }}>Type</TableHeaderCell>
                    <TableHeaderCell style={{ width: 90 }}>Required?</TableHeaderCell>
                    <TableHeaderCell style={{ width: 100 }}>Multi-value?</TableHeaderCell>
                    <TableHeaderCell style={{ width: 100 }}>Exact case?</TableHeaderCell>
                    <TableHeaderCell style={{ width: 60 }}>
                      <span className="visually-hidden">Delete</span>
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attributes.map((a, i) => (
                    <TableRow key={a.name}>
                      <TableCell className={styles.name}>{a.name}</TableCell>
                      <TableCell>{a.type}</TableCell>
                      <TableCell>
                        <Checkbox
                          aria-label={`${a.name} is required`}
                          checked={a.required}
                          onChange={(_e, d) => setFlag(i, { required: d.checked === true })}
                        />
                      </TableCell>
                      <TableCell>
                        <Checkbox
                          aria-label={`${a.name} is multi-valued`}
                          checked={a.multivalued}
                          onChange={(_e, d) => setFlag(i, { multivalued: d.checked === true })}
                        />
                      </TableCell>
                      <TableCell>
                        <Checkbox
                          aria-label={`${a.name} is case exact`}
                          checked={a.caseExact}
                          onChange={(_e, d) => setFlag(i, { caseExact: d.checked === true })}
                        />
                      </TableCell>
                      <TableCell>
                        <Button
                          appearance="subtle"
                          icon={<Delete20Regular />}
                          aria-label={`Delete attribute ${a.name}`}
                          title={
                            isMapped(a.name)
                              ? 'A mapping uses this attribute: delete the mapping first.'
                              : undefined
                          }
                          disabled={isMapped(a.name)}
                          onClick={() => onChange(attributes.filter((_x, k) => k !== i))}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <div className={styles.add} role="group" aria-label="Add attribute">
              <Field label="Name" validationState={problem ? 'error' : 'none'} validationMessage={problem}>
                <Input
                  value={draft.name}
                  placeholder="urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter"
                  onChange={(_e, d) => setDraft((x) => ({ ...x, name: d.value }))}
                />
              </Field>
              <div className={styles.addRow}>
                <Field label="Type" className={styles.type}>
                  <Dropdown
                    value={draft.type}
                    selectedOptions={[draft.type]}
                    onOptionSelect={(_e, d) =>
                      setDraft((x) => ({
                        ...x,
                        type: (d.optionValue as AttributeDefinition['type']) ?? 'String',
                      }))
                    }
                  >
                    {TYPES.map((t) => (
                      <Option key={t} value={t}>
                        {t}
                      </Option>
                    ))}
                  </Dropdown>
                </Field>
                <Checkbox
                  label="Required"
                  checked={draft.required}
                  onChange={(_e, d) => setDraft((x) => ({ ...x, required: d.checked === true }))}
                />
                <Checkbox
                  label="Multi-value"
                  checked={draft.multivalued}
                  onChange={(_e, d) => setDraft((x) => ({ ...x, multivalued: d.checked === true }))}
                />
                <Checkbox
                  label="Exact case"
                  checked={draft.caseExact}
                  onChange={(_e, d) => setDraft((x) => ({ ...x, caseExact: d.checked === true }))}
                />
                <Button icon={<Add20Regular />} onClick={add}>
                  Add attribute
                </Button>
              </div>
            </div>
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
