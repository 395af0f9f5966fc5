import {
  userCreateSchema,
  userUpdateSchema,
  type BulkOperationKind,
  type UserCreate,
  type UserUpdate,
} from '@provisio/contracts';
import type { BulkOperationResultRecord } from '@provisio/db';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describeValidation } from '../plugins/validation';

/**
 * The rules of one CSV row of a bulk operation, without I/O: which columns a file may have, how a
 * row becomes the body the single-user API takes, and what is wrong with it — checked with the
 * same contract schemas (and so the same required fields, formats and lengths) as POST and PATCH
 * /users, with the same messages, naming the column instead of the body's field.
 */

const IDENTIFIERS = ['id', 'userPrincipalName'] as const;

/** Attributes a CSV cell can hold: the user schema's text and boolean properties, in its order. */
export function attributeColumns(): string[] {
  const properties = (userCreateSchema as unknown as { properties: Record<string, JsonSchema> }).properties;
  return Object.entries(properties)
    .filter(([, schema]) => isScalar(schema))
    .map(([name]) => name);
}

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
}
const isScalar = (schema: JsonSchema): boolean =>
  schema.anyOf
    ? schema.anyOf.every(isScalar)
    : schema.type === 'string' || schema.type === 'boolean' || schema.type === 'null';

/** The header row of a kind's template: the columns it may have, those it needs first. */
export function templateColumns(kind: BulkOperationKind): string[] {
  const attributes = attributeColumns();
  switch (kind) {
    case 'create':
      return attributes;
    case 'update':
      return ['id', ...attributes];
    case 'delete':
      return [...IDENTIFIERS];
  }
}

/** The template as a CSV file: its header row. */
export const templateCsv = (kind: BulkOperationKind): string => `${templateColumns(kind).join(',')}\r\n`;

/** A problem with the header row: the whole file is refused before anything is read. */
export interface HeaderProblem {
  column: string | null;
  message: string;
}

/**
 * Reads the header row: attribute names as the template spells them (any case), or Entra's
 * template headings such as `Name [displayName] Required`, whose bracketed name counts.
 */
export function parseHeader(
  kind: BulkOperationKind,
  cells: readonly string[],
): { columns: string[]; problems: HeaderProblem[] } {
  const known = templateColumns(kind);
  const byLower = new Map(known.map((c) => [c.toLowerCase(), c]));
  const problems: HeaderProblem[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  cells.forEach((cell, index) => {
    const raw = cell.trim();
    const name = (/\[([^\]]+)\]/.exec(raw)?.[1] ?? raw).trim();
    const column = byLower.get(name.toLowerCase());
    if (!column) {
      problems.push({
        column: raw || `column ${index + 1}`,
        message: raw
          ? `The column "${raw}" is not one a bulk ${kind} knows: remove it or check its spelling (known: ${known.join(', ')}).`
          : `Column ${index + 1} of the header has no name: name it (known: ${known.join(', ')}) or remove it.`,
      });
    } else if (seen.has(column)) {
      problems.push({ column, message: `The column ${column} appears twice in the header: keep one.` });
    }
    seen.add(column ?? '');
    columns.push(column ?? '');
  });
  const needs =
    kind === 'create'
      ? ['userPrincipalName', 'displayName'].filter((c) => !seen.has(c))
      : seen.has('id') || seen.has('userPrincipalName')
        ? []
        : ['id or userPrincipalName'];
  for (const column of needs) {
    problems.push({
      column,
      message: `The header has no ${column} column, which a bulk ${kind} needs: start from the template.`,
    });
  }
  return { columns, problems };
}

/** A row turned into what the single-user API would receive, or its problems. */
export interface ParsedRow {
  line: number;
  /** The row's userPrincipalName or id as written (for the results and duplicate checks). */
  key: string | null;
  /** update/delete: the user named by id, or else by userPrincipalName. */
  target: { id: string } | { userPrincipalName: string } | null;
  /** create: the new user; update: the changes. */
  body: UserCreate | UserUpdate | null;
  problems: BulkOperationResultRecord[];
}

const checkCreate = Compile(userCreateSchema);
const checkUpdate = Compile(userUpdateSchema);

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, yes: true, no: false };

/** A cell's text as the schema's value: empty cells are left out, `TRUE`/`false` become booleans. */
function cellValue(column: string, text: string): unknown {
  if (column === 'accountEnabled') return BOOLEAN_TEXT[text.toLowerCase()] ?? text;
  return text;
}

/**
 * Parses and validates one data row against the header's columns. `line` is the file's line
 * (the header is line 1), used in every problem.
 */
export function parseRow(
  kind: BulkOperationKind,
  columns: readonly string[],
  cells: readonly string[],
  line: number,
): ParsedRow {
  const values: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const text = (cells[i] ?? '').trim();
    if (column && text !== '') values[column] = cellValue(column, text);
  });
  const idText = typeof values.id === 'string' ? values.id : null;
  const upnText = typeof values.userPrincipalName === 'string' ? values.userPrincipalName : null;
  const key = kind === 'create' ? upnText : (idText ?? upnText);
  const row: ParsedRow = { line, key, target: null, body: null, problems: [] };
  const problem = (column: string | null, code: string, reason: string) =>
    row.problems.push({ line, column, code, reason, key });

  if (cells.length > columns.length) {
    problem(
      null,
      'bulk_operation.extra_values',
      `The row has ${cells.length} values but the header names ${columns.length} columns: quote values that contain a comma.`,
    );
    return row;
  }
  if (kind === 'create') {
    row.body = values as UserCreate;
    collectSchemaProblems(userCreateSchema, checkCreate.Errors(values), problem);
    return row;
  }
  if (!idText && !upnText) {
    problem('id', 'request.invalid', 'id or userPrincipalName is required: fill in one to say which user.');
    return row;
  }
  if (idText && idText.length > 200)
    problem('id', 'request.invalid', 'id must be at most 200 characters long.');
  row.target = idText ? { id: idText } : { userPrincipalName: upnText ?? '' };
  if (kind === 'delete') return row;

  // With an id, a userPrincipalName is a new name; without one, it only says which user.
  const changes: Record<string, unknown> = { ...values };
  delete changes.id;
  if (!idText) delete changes.userPrincipalName;
  if (Object.keys(changes).length === 0) {
    problem(
      null,
      'bulk_operation.nothing_to_update',
      'The row changes nothing: fill in the attributes to change.',
    );
    return row;
  }
  row.body = changes as UserUpdate;
  collectSchemaProblems(userUpdateSchema, checkUpdate.Errors(changes), problem);
  return row;
}

/** The single-user API's validation messages, with the column's name where the body's field was. */
function collectSchemaProblems(
  schema: TSchema,
  errors: Iterable<unknown>,
  problem: (column: string | null, code: string, reason: string) => void,
): void {
  const list = [...errors];
  if (list.length === 0) return;
  const details = describeValidation(
    list as Parameters<typeof describeValidation>[0],
    'row',
    schema as never,
  );
  for (const d of details) {
    const column = d.target?.replace(/^row\/?/, '').split('/')[0] || null;
    const reason = d.message
      .replace(/^row\//, '')
      .replace(/add it to the request body\.?$/, 'fill in this column.');
    problem(column, d.code, reason);
  }
}
