import {
  Button,
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
import { Delete20Regular, Edit20Regular, ErrorCircle16Regular } from '@fluentui/react-icons';
import type { AttributeMapping } from '@provisio/contracts';
import { Fragment } from 'react';
import { ExpressionText } from './ExpressionText';
import { mappingTypeOf, sourceText, type ProblemDetail } from './mapping-model';

const useStyles = makeStyles({
  source: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    wordBreak: 'break-all',
  },
  target: { wordBreak: 'break-all' },
  muted: { color: tokens.colorNeutralForeground3 },
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

/**
 * The Attribute Mappings table: source → target, matching precedence, Edit and Delete per
 * row (Delete is unavailable for required target attributes, as in Entra). The problems of the
 * last Save appear under their row, an expression's with the error highlighted.
 */
export function AttributeMappingsTable({
  mappings,
  sourceLabel,
  targetLabel,
  isRequired,
  problems,
  readOnly = false,
  onEdit,
  onDelete,
}: {
  mappings: readonly AttributeMapping[];
  sourceLabel: string;
  targetLabel: string;
  isRequired: (target: string) => boolean;
  problems: ReadonlyMap<number, ProblemDetail[]>;
  /** Without Edit and Delete, for a role that may not change the mappings. */
  readOnly?: boolean;
  onEdit: (index: number) => void;
  onDelete: (index: number) => void;
}) {
  const styles = useStyles();
  return (
    <Table aria-label="Attribute Mappings" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{sourceLabel}</TableHeaderCell>
          <TableHeaderCell>{targetLabel}</TableHeaderCell>
          <TableHeaderCell style={{ width: 170 }}>Matching precedence</TableHeaderCell>
          {readOnly ? null : (
            <TableHeaderCell style={{ width: 100 }}>
              <span className="visually-hidden">Actions</span>
            </TableHeaderCell>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {mappings.map((m, i) => {
          const rowProblems = problems.get(i) ?? [];
          const type = mappingTypeOf(m);
          const text = sourceText(m);
          const required = isRequired(m.targetAttributeName);
          return (
            <Fragment key={`${i}-${m.targetAttributeName}`}>
              <TableRow aria-label={`Mapping to ${m.targetAttributeName}`}>
                <TableCell className={styles.source}>
                  {type === 'None' ? (
                    <span className={styles.muted}>
                      None{m.defaultValue !== null ? ` (default "${m.defaultValue}")` : ''}
                    </span>
                  ) : (
                    text
                  )}
                  {rowProblems.length > 0 ? (
                    <span className="visually-hidden"> — has {rowProblems.length} problem(s)</span>
                  ) : null}
                </TableCell>
                <TableCell className={styles.target}>{m.targetAttributeName}</TableCell>
                <TableCell>{m.matchingPriority > 0 ? m.matchingPriority : ''}</TableCell>
                {readOnly ? null : (
                  <TableCell>
                    <div className={styles.actions}>
                      <Button
                        appearance="subtle"
                        icon={<Edit20Regular />}
                        aria-label={`Edit mapping to ${m.targetAttributeName}`}
                        onClick={() => onEdit(i)}
                      />
                      <Button
                        appearance="subtle"
                        icon={<Delete20Regular />}
                        aria-label={`Delete mapping to ${m.targetAttributeName}`}
                        title={required ? 'Required attributes cannot be deleted.' : undefined}
                        disabled={required}
                        onClick={() => onDelete(i)}
                      />
                    </div>
                  </TableCell>
                )}
              </TableRow>
              {rowProblems.length > 0 ? (
                <TableRow
                  className={styles.problemRow}
                  aria-label={`Problems of the mapping to ${m.targetAttributeName}`}
                >
                  <TableCell colSpan={readOnly ? 3 : 4}>
                    <div className={styles.problems}>
                      {rowProblems.map((p, k) => (
                        <div key={k}>
                          <Text className={styles.problem}>
                            <ErrorCircle16Regular aria-hidden />
                            {p.message}
                          </Text>
                          {type === 'Expression' && p.start !== undefined ? (
                            <ExpressionText text={text} error={p} />
                          ) : null}
                        </div>
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
  );
}
