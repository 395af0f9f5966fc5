import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
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
import { Add20Regular, Delete20Regular, Edit20Regular, ErrorCircle16Regular } from '@fluentui/react-icons';
import type { FilterGroup } from '@provisio/contracts';
import { Fragment, useState } from 'react';
import { ScopingFilterDialog } from './ScopingFilterDialog';
import { clauseText, emptyScopingFilter, toScopingFilterForm, type ProblemDetail } from './mapping-model';
import { useReturnFocus } from '../../hooks/use-return-focus';

const useStyles = makeStyles({
  surface: { maxWidth: '900px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  intro: { color: tokens.colorNeutralForeground2, margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  clauses: { margin: 0, paddingLeft: 0, listStyle: 'none', fontFamily: tokens.fontFamilyMonospace },
  and: { color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyBase },
  title: { fontWeight: tokens.fontWeightSemibold, wordBreak: 'break-word' },
  problemRow: { backgroundColor: tokens.colorPaletteRedBackground1 },
  problems: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalXS} 0`,
  },
  problem: { display: 'flex', gap: tokens.spacingHorizontalXS, color: tokens.colorPaletteRedForeground1 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS, justifyContent: 'flex-end' },
});

type Editing = { index: number | null } | null;

/**
 * Source Object Scope: the scoping filters of an object mapping. A user is in scope when it meets
 * any filter (OR), and meets a filter when all its clauses hold (AND); with no filters, all
 * records are. Changes join the page's unsaved edits and are saved with its Save.
 */
export function SourceObjectScopeDialog({
  objectName,
  filters,
  attributes,
  problems,
  check,
  onSave,
  onDelete,
  onClose,
}: {
  /** The source object (User, Group), for the wording. */
  objectName: string;
  filters: readonly FilterGroup[];
  /** The source attributes a clause may test. */
  attributes: readonly string[];
  /** Filter index → what the last Save said about it. */
  problems: ReadonlyMap<number, ProblemDetail[]>;
  /** The problems Save would find in a filter edited (`index`) or added (`null`). */
  check: (index: number | null, filter: FilterGroup) => Promise<readonly ProblemDetail[]>;
  /** A filter edited (`index`) or added (`null`). */
  onSave: (index: number | null, filter: FilterGroup) => void;
  onDelete: (index: number) => void;
  onClose: () => void;
}) {
  useReturnFocus();
  const styles = useStyles();
  const [editing, setEditing] = useState<Editing>(null);
  const objects = `${objectName.toLowerCase()}s`;
  const titlesExcept = (index: number | null) => filters.filter((_f, i) => i !== index).map((f) => f.name);
  const edited = editing?.index === null || editing === null ? undefined : filters[editing.index];

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>Source Object Scope</DialogTitle>
          <DialogContent className={styles.content}>
            <Text as="p" className={styles.intro}>
              Scoping filters limit which assigned {objects} are provisioned. A {objectName.toLowerCase()} is
              in scope when it meets any of the filters; it meets a filter when all of that filter&apos;s
              clauses are true. Saving a change resynchronizes every assigned user and group, and {objects}{' '}
              that no longer meet the filters are{' '}
              {objectName.toLowerCase() === 'user' ? 'disabled' : 'deprovisioned'} in the application.
            </Text>
            {filters.length === 0 ? (
              <Text className={styles.muted}>
                No scoping filters: all records are in scope. Add scoping filters to provision only the{' '}
                {objects} that meet them, for example department EQUALS Sales.
              </Text>
            ) : (
              <Table aria-label="Scoping filters" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell style={{ width: '35%' }}>Scoping Filter Title</TableHeaderCell>
                    <TableHeaderCell>Clauses</TableHeaderCell>
                    <TableHeaderCell style={{ width: 100 }}>
                      <span className="visually-hidden">Actions</span>
                    </TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {filters.map((f, i) => {
                    const filterProblems = problems.get(i) ?? [];
                    const name = f.name || `Scoping filter ${i + 1}`;
                    return (
                      <Fragment key={`${i}-${f.name}`}>
                        <TableRow aria-label={`Scoping filter ${name}`}>
                          <TableCell className={styles.title}>
                            {name}
                            {filterProblems.length > 0 ? (
                              <span className="visually-hidden">
                                {' '}
                                — has {filterProblems.length} problem(s)
                              </span>
                            ) : null}
                          </TableCell>
                          <TableCell>
                            {f.clauses.length === 0 ? (
                              <span className={styles.muted}>No clauses</span>
                            ) : (
                              <ul className={styles.clauses}>
                                {f.clauses.map((c, k) => (
                                  <li key={k}>
                                    {k > 0 ? <span className={styles.and}>AND </span> : null}
                                    {clauseText(c)}
                                  </li>
                                ))}
                              </ul>
                            )}
                          </TableCell>
                          <TableCell>
                            <div className={styles.actions}>
                              <Button
                                appearance="subtle"
                                icon={<Edit20Regular />}
                                aria-label={`Edit scoping filter ${name}`}
                                onClick={() => setEditing({ index: i })}
                              />
                              <Button
                                appearance="subtle"
                                icon={<Delete20Regular />}
                                aria-label={`Delete scoping filter ${name}`}
                                onClick={() => onDelete(i)}
                              />
                            </div>
                          </TableCell>
                        </TableRow>
                        {filterProblems.length > 0 ? (
                          <TableRow
                            className={styles.problemRow}
                            aria-label={`Problems of the scoping filter ${name}`}
                          >
                            <TableCell colSpan={3}>
                              <div className={styles.problems}>
                                {filterProblems.map((p, k) => (
                                  <Text key={k} className={styles.problem}>
                                    <ErrorCircle16Regular aria-hidden />
                                    {p.message}
                                  </Text>
                                ))}
                              </div>
                            </TableCell>
                          </TableRow>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </TableBody>
              </Table>
            )}
            <div>
              <Button icon={<Add20Regular />} onClick={() => setEditing({ index: null })}>
                Add scoping filters
              </Button>
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              Done
            </Button>
          </DialogActions>
          {/* Rendered inside the dialog so that Fluent stacks it as a nested dialog. */}
          {editing ? (
            <ScopingFilterDialog
              title={editing.index === null ? 'Add Scoping Filter' : 'Edit Scoping Filter'}
              initial={edited ? toScopingFilterForm(edited) : emptyScopingFilter()}
              attributes={attributes}
              otherTitles={titlesExcept(editing.index)}
              serverProblems={editing.index === null ? [] : (problems.get(editing.index) ?? [])}
              check={(filter) => check(editing.index, filter)}
              onOk={(filter) => {
                onSave(editing.index, filter);
                setEditing(null);
              }}
              onCancel={() => setEditing(null)}
            />
          ) : null}
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
