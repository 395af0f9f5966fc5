import { SCHEMA, type AttributeChange, type ScimDialect } from './types.js';
import { quoteFilterValue } from './filter.js';

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof SCHEMA.patchOp];
  Operations: PatchOperation[];
}

const patchRequest = (operations: PatchOperation[]): PatchRequest => ({
  schemas: [SCHEMA.patchOp],
  Operations: operations,
});

// Entra's default client capitalises ops; the aadOptscim062020 form uses the RFC's lowercase.
const op = (dialect: ScimDialect, name: 'add' | 'replace' | 'remove') =>
  dialect === 'rfc' ? name : `${name[0]!.toUpperCase()}${name.slice(1)}`;

const isRemoval = (value: unknown) => value === null || value === undefined;
/** A value filter (`emails[type eq "work"].value`) cannot be a key of a path-less replace object. */
const isFilteredPath = (path: string) => path.includes('[');

function assertPaths(changes: AttributeChange[]) {
  for (const change of changes) {
    if (typeof change.path !== 'string' || change.path.trim() === '')
      throw new Error('An attribute change needs a non-empty path.');
  }
}

// Entra's default client sends `active` as the strings "True"/"False"; targets written against it
// expect that, and an enable must look like the disable it undoes.
function entraValue(path: string, value: unknown): unknown {
  if (path === 'active' && typeof value === 'boolean') return value ? 'True' : 'False';
  return value;
}

/**
 * The PATCH body for a set of attribute changes.
 * - entra: one `Replace` per change (`Add` for a change marked `op: 'add'`), `Remove` for null.
 * - rfc: one path-less `replace` whose value is keyed by the plain, dotted and extension paths,
 *   then path-based ops for filtered paths, changes with an explicit op, and removals.
 */
export function buildUpdatePatch(dialect: ScimDialect, changes: AttributeChange[]): PatchRequest {
  assertPaths(changes);
  if (dialect === 'entra') {
    return patchRequest(
      changes.map((change) =>
        isRemoval(change.value)
          ? { op: op(dialect, 'remove'), path: change.path }
          : {
              op: op(dialect, change.op ?? 'replace'),
              path: change.path,
              value: entraValue(change.path, change.value),
            },
      ),
    );
  }
  const merged: Record<string, unknown> = {};
  const pathOps: PatchOperation[] = [];
  for (const change of changes) {
    if (isRemoval(change.value)) pathOps.push({ op: 'remove', path: change.path });
    else if (change.op !== undefined) pathOps.push({ op: change.op, path: change.path, value: change.value });
    else if (isFilteredPath(change.path))
      pathOps.push({ op: 'replace', path: change.path, value: change.value });
    else merged[change.path] = change.value;
  }
  const operations: PatchOperation[] =
    Object.keys(merged).length > 0 ? [{ op: 'replace', value: merged }, ...pathOps] : pathOps;
  return patchRequest(operations);
}

/** The PATCH body that disables a user, in the form each dialect uses. */
export function buildDisablePatch(dialect: ScimDialect): PatchRequest {
  return patchRequest([
    { op: op(dialect, 'replace'), path: 'active', value: dialect === 'rfc' ? false : 'False' },
  ]);
}

/** One `Add` op carrying every member: targets are expected to take many memberships in one PATCH. */
export function buildAddMembersPatch(dialect: ScimDialect, memberIds: string[]): PatchRequest {
  return patchRequest([
    { op: op(dialect, 'add'), path: 'members', value: memberIds.map((id) => ({ $ref: null, value: id })) },
  ]);
}

/**
 * entra: one `Remove` op with a value list (the legacy form);
 * rfc: one `remove` op per member, addressed with a value filter as RFC 7644 §3.5.2.2 requires.
 */
export function buildRemoveMembersPatch(dialect: ScimDialect, memberIds: string[]): PatchRequest {
  if (dialect === 'entra') {
    return patchRequest([
      { op: op(dialect, 'remove'), path: 'members', value: memberIds.map((id) => ({ value: id })) },
    ]);
  }
  return patchRequest(
    memberIds.map((id) => ({ op: 'remove', path: `members[value eq ${quoteFilterValue(id)}]` })),
  );
}

/**
 * A reference attribute (a user's manager) set to another resource, or removed.
 * - entra: `Add` with a one-element list `[{ "$ref": uri, "value": id }]`, as Entra sends a manager;
 *   `Remove` with the path to clear it.
 * - rfc: `add` with the complex value `{ "value": id, "$ref": uri }`; `remove` to clear it.
 */
export function buildReferencePatch(
  dialect: ScimDialect,
  path: string,
  reference: { id: string; uri: string } | null,
): PatchRequest {
  if (path.trim() === '') throw new Error('A reference change needs a non-empty path.');
  if (reference === null) return patchRequest([{ op: op(dialect, 'remove'), path }]);
  const value = { $ref: reference.uri, value: reference.id };
  return patchRequest([{ op: op(dialect, 'add'), path, value: dialect === 'rfc' ? value : [value] }]);
}
