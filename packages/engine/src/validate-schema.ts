import type {
  AttributeDefinition,
  AttributeMapping,
  AttributeMappingSource,
  DirectoryDefinition,
  ObjectDefinition,
  ObjectMapping,
  SynchronizationSchema,
} from '@provisio/contracts';
import {
  parseExpression,
  toAttributeMappingSource,
  type ArgumentNode,
  type AttributeNode,
} from '@provisio/expressions';
import { compileScopeFilter } from './scoping';

/**
 * One problem of a schema, pointing at the field to fix. `target` is the JSON path of the field
 * in the schema (`synchronizationRules/0/objectMappings/0/attributeMappings/3/source/expression`);
 * expression problems carry the position in the expression text.
 */
export interface SchemaProblem {
  code: string;
  message: string;
  target: string;
  objectMappingName?: string;
  targetAttributeName?: string;
  start?: number;
  end?: number;
  line?: number;
  column?: number;
  hint?: string;
}

/** SCIM attribute paths a target schema may define: `nickName`, `name.givenName`, `emails[type eq "work"].value`, `urn:…:2.0:User:costCenter`. */
const TARGET_ATTRIBUTE_NAME =
  /^(?:urn:[A-Za-z0-9._:-]+:)?[A-Za-z][A-Za-z0-9_$-]*(?:\[[A-Za-z][A-Za-z0-9_]*\s+eq\s+"[^"\\]*"\])?(?:\.[A-Za-z][A-Za-z0-9_$-]*)?$/;

const lower = (s: string) => s.toLowerCase();

function findDirectory(schema: SynchronizationSchema, name: string): DirectoryDefinition | null {
  return schema.directories.find((d) => lower(d.name) === lower(name)) ?? null;
}

function findObject(directory: DirectoryDefinition | null, name: string): ObjectDefinition | null {
  return directory?.objects.find((o) => lower(o.name) === lower(name)) ?? null;
}

/** The parser's message with its hint, unless the message already says it: `missing ")" (add ")" at the end …)`. */
export function withHint(message: string, hint: string | undefined): string {
  return hint && !message.includes(hint) ? `${message} (${hint})` : message;
}

const sentence = (text: string) => (/[.?!)]$/.test(text) ? text : `${text}.`);

/** 1-based line and column of an offset, as the expression language reports them. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text[i] === '\n') {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
  }
  return { line, column };
}

/** Every `[attribute]` of an expression tree, with its position. */
function attributeNodes(node: ArgumentNode, out: AttributeNode[] = []): AttributeNode[] {
  switch (node.kind) {
    case 'attribute':
      out.push(node);
      break;
    case 'call':
      for (const arg of node.args) attributeNodes(arg, out);
      break;
    case 'comparison':
      attributeNodes(node.left, out);
      attributeNodes(node.right, out);
      break;
    default:
      break;
  }
  return out;
}

/** The names of an object's attributes, for a message that says which ones exist. */
function knownList(object: ObjectDefinition | null): string {
  return (object?.attributes ?? []).map((a) => a.name).join(', ');
}

/** The source attribute a Direct mapping names: `name`, else the `[attribute]` of its expression. */
export function directSourceName(source: AttributeMappingSource): string | null {
  if (source.name) return source.name;
  return /^\s*\[([^\]]+)\]\s*$/.exec(source.expression ?? '')?.[1] ?? null;
}

interface MappingContext {
  path: string;
  objectMappingName: string;
  sourceObject: ObjectDefinition | null;
  targetObject: ObjectDefinition | null;
  sourceObjectName: string;
  targetObjectName: string;
}

function checkAttributeMapping(
  m: AttributeMapping,
  index: number,
  ctx: MappingContext,
  problems: SchemaProblem[],
): void {
  const path = `${ctx.path}/attributeMappings/${index}`;
  const about = { objectMappingName: ctx.objectMappingName, targetAttributeName: m.targetAttributeName };
  const add = (code: string, field: string, message: string, extra: Partial<SchemaProblem> = {}) =>
    problems.push({ code, message, target: `${path}/${field}`, ...about, ...extra });

  if (
    ctx.targetObject &&
    !ctx.targetObject.attributes.some((a) => lower(a.name) === lower(m.targetAttributeName))
  ) {
    add(
      'mapping.unknown_target_attribute',
      'targetAttributeName',
      `'${m.targetAttributeName}' is not an attribute of ${ctx.targetObjectName}. Pick a target attribute from the list, or add it under Show advanced options > Edit attribute list.`,
    );
  }
  const knownSource = (name: string) =>
    ctx.sourceObject === null || ctx.sourceObject.attributes.some((a) => lower(a.name) === lower(name));

  if (checkReference(m, ctx, add)) return;
  const source = m.source;
  if (source === null) {
    if (m.matchingPriority > 0) {
      add(
        'mapping.matching_without_source',
        'matchingPriority',
        `The mapping to '${m.targetAttributeName}' matches objects but has no source (mapping type None), so it has no value to match by. Give it a source, or set "Match objects using this attribute" to No.`,
      );
    }
    return;
  }
  if (source.type === 'Constant') {
    if (m.matchingPriority > 0) {
      add(
        'mapping.matching_without_source',
        'matchingPriority',
        `The mapping to '${m.targetAttributeName}' matches objects by a constant, which is the same for every object and would match them all to one account. Match by a Direct or Expression mapping instead.`,
      );
    }
    return;
  }
  if (source.type === 'Attribute') {
    const name = directSourceName(source);
    if (!name) {
      add(
        'mapping.missing_source',
        'source/name',
        `The mapping to '${m.targetAttributeName}' is Direct but names no source attribute. Pick a source attribute or change the mapping type.`,
      );
    } else if (!knownSource(name)) {
      add(
        'mapping.unknown_source_attribute',
        'source/name',
        `'${name}' is not an attribute of the directory's ${ctx.sourceObjectName} objects. Pick a source attribute from the list.`,
      );
    }
    return;
  }

  const text = source.expression ?? '';
  const parsed = parseExpression(text);
  if (!parsed.ok) {
    const e = parsed.error;
    add(
      'mapping.invalid_expression',
      'source/expression',
      `The expression mapped to '${m.targetAttributeName}' is invalid at line ${e.line}, column ${e.column}: ${sentence(withHint(e.message, e.hint))}`,
      {
        start: e.start,
        end: e.end,
        line: e.line,
        column: e.column,
        ...(e.hint ? { hint: e.hint } : {}),
      },
    );
    return;
  }
  for (const node of attributeNodes(parsed.expression.ast)) {
    if (knownSource(node.name)) continue;
    const at = lineColumn(text, node.start);
    add(
      'mapping.unknown_source_attribute',
      'source/expression',
      `The expression mapped to '${m.targetAttributeName}' reads [${node.name}] (line ${at.line}, column ${at.column}), which is not an attribute of the directory's ${ctx.sourceObjectName} objects. Check the spelling; the known attributes are: ${knownList(ctx.sourceObject)}.`,
      {
        start: node.start,
        end: node.end,
        ...at,
        hint: 'Pick the attribute from the attribute list of the expression builder.',
      },
    );
  }
  if (parsed.expression.usesSelectUniqueValue) {
    if (m.matchingPriority > 0) {
      add(
        'mapping.invalid_select_unique_value',
        'matchingPriority',
        `SelectUniqueValue cannot be used on a matching attribute ('${m.targetAttributeName}'): its value depends on what the target already holds. Match by another attribute.`,
      );
    } else if (m.flowType !== 'ObjectAddOnly') {
      add(
        'mapping.invalid_select_unique_value',
        'flowType',
        `SelectUniqueValue (mapped to '${m.targetAttributeName}') only works when the mapping is applied "Only during object creation"; otherwise every update would pick a new value.`,
      );
    }
  }
}

/**
 * A target attribute of type Reference (a user's manager, a group's members) takes the id of an
 * object the job provisions; the cycle resolves it from a reference attribute of the source once
 * both objects exist. Anything else would send a directory id or a constant to the application,
 * so it is refused. True when the mapping is a reference (checked here).
 */
function checkReference(
  m: AttributeMapping,
  ctx: MappingContext,
  add: (code: string, field: string, message: string) => void,
): boolean {
  const target = ctx.targetObject?.attributes.find((a) => lower(a.name) === lower(m.targetAttributeName));
  const name = m.source?.type === 'Attribute' ? directSourceName(m.source) : null;
  const sourceAttribute = name
    ? ctx.sourceObject?.attributes.find((a) => lower(a.name) === lower(name))
    : undefined;
  if (target?.type !== 'Reference') {
    // A directory reference sent as a plain value would hand the application a directory id.
    if (sourceAttribute?.type !== 'Reference' || !target) return false;
    add(
      'mapping.unresolvable_reference',
      'targetAttributeName',
      `[${sourceAttribute.name}] holds the id of another directory object, which means nothing to the application. Map it to a reference attribute of ${ctx.targetObjectName} (its type is Reference), which Provisio resolves to the object's id there.`,
    );
    return true;
  }
  const resolvable = sourceAttribute
    ? sourceAttribute.type === 'Reference'
    : name !== null && ctx.sourceObject === null;
  if (!resolvable) {
    const references = (ctx.sourceObject?.attributes ?? [])
      .filter((a) => a.type === 'Reference')
      .map((a) => a.name);
    add(
      'mapping.unresolvable_reference',
      'source',
      `'${m.targetAttributeName}' is a reference in ${ctx.targetObjectName}: it takes the id an object has in the application, which Provisio resolves only from a reference attribute of the directory${references.length > 0 ? ` (${references.join(', ')})` : ''}. Make it a Direct mapping from ${references.length > 0 ? references.map((r) => `[${r}]`).join(' or ') : 'a reference attribute'}.`,
    );
  } else if (m.matchingPriority > 0) {
    add(
      'mapping.unresolvable_reference',
      'matchingPriority',
      `'${m.targetAttributeName}' is a reference, resolved after the object exists, so it cannot match objects. Set "Match objects using this attribute" to No.`,
    );
  }
  return true;
}

function checkObjectMapping(
  mapping: ObjectMapping,
  path: string,
  directories: { source: DirectoryDefinition | null; target: DirectoryDefinition | null },
  problems: SchemaProblem[],
): void {
  const objectMappingName = mapping.name;
  const add = (code: string, field: string, message: string, extra: Partial<SchemaProblem> = {}) =>
    problems.push({ code, message, target: field ? `${path}/${field}` : path, objectMappingName, ...extra });

  if (mapping.name.trim() === '') add('mapping.missing_name', 'name', 'Every object mapping needs a name.');
  const sourceObject = findObject(directories.source, mapping.sourceObjectName);
  if (directories.source && !sourceObject) {
    add(
      'mapping.unknown_source_object',
      'sourceObjectName',
      `The directory has no '${mapping.sourceObjectName}' objects. Use one of: ${directories.source.objects.map((o) => o.name).join(', ')}.`,
    );
  }
  const targetObject = findObject(directories.target, mapping.targetObjectName);
  if (directories.target && !targetObject) {
    add(
      'mapping.unknown_target_object',
      'targetObjectName',
      `The target schema defines no '${mapping.targetObjectName}' object. Use one of: ${directories.target.objects.map((o) => o.name).join(', ')}.`,
    );
  }
  if (lower(mapping.sourceObjectName) === 'user' && !mapping.enabled) {
    add(
      'mapping.user_mapping_disabled',
      'enabled',
      `The user mapping '${mapping.name}' cannot be disabled: users are always provisioned. To stop provisioning, turn Provisioning Status Off; to provision fewer users, use scoping filters or assignments.`,
    );
  }

  const ctx: MappingContext = {
    path,
    objectMappingName,
    sourceObject,
    targetObject,
    sourceObjectName: mapping.sourceObjectName,
    targetObjectName: mapping.targetObjectName,
  };
  const seenTargets = new Map<string, number>();
  const seenPrecedence = new Map<number, string>();
  mapping.attributeMappings.forEach((m, index) => {
    const key = lower(m.targetAttributeName);
    const first = seenTargets.get(key);
    if (first !== undefined) {
      add(
        'mapping.duplicate_target',
        `attributeMappings/${index}/targetAttributeName`,
        `'${m.targetAttributeName}' is the target of more than one attribute mapping (rows ${first + 1} and ${index + 1}). Keep one: an attribute can only get one value.`,
        { targetAttributeName: m.targetAttributeName },
      );
    } else {
      seenTargets.set(key, index);
    }
    if (m.matchingPriority > 0) {
      const other = seenPrecedence.get(m.matchingPriority);
      if (other !== undefined) {
        add(
          'mapping.duplicate_matching_precedence',
          `attributeMappings/${index}/matchingPriority`,
          `'${m.targetAttributeName}' and '${other}' both have matching precedence ${m.matchingPriority}. Give each matching attribute its own precedence: they are tried in order.`,
          { targetAttributeName: m.targetAttributeName },
        );
      } else {
        seenPrecedence.set(m.matchingPriority, m.targetAttributeName);
      }
    }
    checkAttributeMapping(m, index, ctx, problems);
  });

  for (const attribute of targetObject?.attributes ?? []) {
    if (!attribute.required || seenTargets.has(lower(attribute.name))) continue;
    add(
      'mapping.required_target_unmapped',
      'attributeMappings',
      `'${attribute.name}' is required by ${mapping.targetObjectName} but no attribute mapping gives it a value. Add a mapping to '${attribute.name}'.`,
      { targetAttributeName: attribute.name },
    );
  }
  if (mapping.enabled && !mapping.attributeMappings.some((m) => m.matchingPriority > 0)) {
    add(
      'mapping.no_matching_attribute',
      'attributeMappings',
      `'${mapping.name}' has no matching attribute, so existing accounts could never be found. Set "Match objects using this attribute" to Yes on one mapping (usually userName).`,
    );
  }
  checkScope(mapping, sourceObject, add);
}

/**
 * The scoping filters of an object mapping: what the engine cannot compile (unknown operator, a
 * missing or bad value), plus what would compile but not mean what the administrator wants — a
 * filter without a title (logs name filters by it) or without clauses (everyone would meet it), and
 * clauses on attributes the source object lacks or scoping filters do not support.
 */
function checkScope(
  mapping: ObjectMapping,
  sourceObject: ObjectDefinition | null,
  add: (code: string, field: string, message: string) => void,
): void {
  (mapping.scope?.groups ?? []).forEach((group, g) => {
    const path = `scope/groups/${g}`;
    const title = group.name.trim();
    const named = title ? `Scoping filter '${title}'` : `Scoping filter ${g + 1}`;
    if (!title) {
      add(
        'scoping_filter.missing_title',
        `${path}/name`,
        `${named} of '${mapping.name}' has no title. Enter a Scoping Filter Title: provisioning logs name the filter that put a user out of scope by it.`,
      );
    }
    if (group.clauses.length === 0) {
      add(
        'scoping_filter.no_clauses',
        `${path}/clauses`,
        `${named} has no clauses, so every user would meet it. Add a scoping clause, or delete the filter.`,
      );
    }
    group.clauses.forEach((clause, c) => {
      const name = clause.sourceOperandName;
      const attribute = sourceObject?.attributes.find((a) => lower(a.name) === lower(name));
      const field = `${path}/clauses/${c}/sourceOperandName`;
      if (sourceObject && !attribute) {
        add(
          'scoping_filter.unknown_attribute',
          field,
          `${named}, clause ${c + 1}: '${name}' is not an attribute of the directory's ${mapping.sourceObjectName} objects. Pick a source attribute from the list.`,
        );
      } else if (attribute && (attribute.multivalued || attribute.type === 'Reference')) {
        add(
          'scoping_filter.unsupported_attribute',
          field,
          `${named}, clause ${c + 1}: '${attribute.name}' is ${attribute.multivalued ? 'multi-valued' : 'a reference to another object'}, which scoping filters do not support. Pick a single-valued attribute.`,
        );
      }
    });
  });
  for (const error of compileScopeFilter(mapping.scope).errors) {
    add(error.code, error.path ? `scope/${error.path}` : 'scope', error.message);
  }
}

function checkDirectory(directory: DirectoryDefinition, index: number, problems: SchemaProblem[]): void {
  directory.objects.forEach((object, o) => {
    const seen = new Set<string>();
    object.attributes.forEach((attribute: AttributeDefinition, a) => {
      const target = `directories/${index}/objects/${o}/attributes/${a}/name`;
      const key = lower(attribute.name);
      if (seen.has(key)) {
        problems.push({
          code: 'schema.duplicate_attribute',
          target,
          message: `${object.name} defines '${attribute.name}' twice. Remove one of them.`,
        });
      }
      seen.add(key);
      // The directory's own attributes are read, never written: only the target's names must be SCIM paths.
      if (!directory.readOnly && !TARGET_ATTRIBUTE_NAME.test(attribute.name)) {
        problems.push({
          code: 'schema.invalid_attribute_name',
          target,
          message: `'${attribute.name}' is not a SCIM attribute name. Use a name such as nickName, name.middleName, emails[type eq "home"].value or urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter.`,
        });
      }
    });
  });
}

/**
 * Checks a whole schema before it is saved: every attribute mapping of every object mapping
 * (unknown source or target attribute, expressions that do not parse — with their position —,
 * a required target attribute left unmapped, two mappings to one target, a matching attribute
 * without a value source, SelectUniqueValue misuse), the object mappings themselves (a disabled
 * user mapping, no matching attribute, bad scoping filters) and the target attribute list.
 * Pure; an empty list means the schema can be saved.
 *
 * @example
 * const problems = validateSchema(schema);
 * // [{ code: 'mapping.invalid_expression', target: 'synchronizationRules/0/objectMappings/0/attributeMappings/2/source/expression',
 * //    objectMappingName: 'Provision Provisio Directory Users', targetAttributeName: 'displayName', start: 0, end: 5, … }]
 */
export function validateSchema(schema: SynchronizationSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  schema.directories.forEach((d, i) => checkDirectory(d, i, problems));
  schema.synchronizationRules.forEach((rule, r) => {
    const rulePath = `synchronizationRules/${r}`;
    const source = findDirectory(schema, rule.sourceDirectoryName);
    const target = findDirectory(schema, rule.targetDirectoryName);
    if (!source) {
      problems.push({
        code: 'schema.unknown_directory',
        target: `${rulePath}/sourceDirectoryName`,
        message: `The rule '${rule.name}' reads from '${rule.sourceDirectoryName}', which is not among the schema's directories (${schema.directories.map((d) => d.name).join(', ')}).`,
      });
    }
    if (!target) {
      problems.push({
        code: 'schema.unknown_directory',
        target: `${rulePath}/targetDirectoryName`,
        message: `The rule '${rule.name}' writes to '${rule.targetDirectoryName}', which is not among the schema's directories (${schema.directories.map((d) => d.name).join(', ')}).`,
      });
    }
    rule.objectMappings.forEach((mapping, o) =>
      checkObjectMapping(mapping, `${rulePath}/objectMappings/${o}`, { source, target }, problems),
    );
  });
  return problems;
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graph serialises constants with quotes (`"\"True\""`); some writers put only the quoted text. */
function constantText(source: AttributeMappingSource): string {
  if (source.name !== null) return source.name;
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec((source.expression ?? '').trim());
  return quoted ? (quoted[1] ?? '').replace(/\\(["\\])/g, '$1') : (source.expression ?? '');
}

/**
 * A source as Graph stores it: a Direct source names its attribute in `name` and `[name]`; a
 * Constant has its text in `name` and quoted in `expression`; an expression keeps the text as
 * written and gets Graph's parsed tree (`name` = the outer function, `parameters`). A source
 * that does not parse is left as written (validation reports it).
 */
export function normalizeMappingSource(source: AttributeMappingSource | null): AttributeMappingSource | null {
  if (source === null) return null;
  if (source.type === 'Attribute') {
    const name = directSourceName(source);
    return name ? { type: 'Attribute', name, expression: `[${name}]`, parameters: [] } : source;
  }
  if (source.type === 'Constant') {
    const value = constantText(source);
    return { type: 'Constant', name: value, expression: quote(value), parameters: [] };
  }
  const text = source.expression ?? '';
  const parsed = parseExpression(text);
  if (!parsed.ok) return source;
  const tree = toAttributeMappingSource(parsed.expression);
  return { type: 'Function', name: tree.name, expression: text, parameters: tree.parameters };
}

/** The schema with every attribute mapping's source in Graph's stored form (see {@link normalizeMappingSource}). */
export function normalizeSchema(schema: SynchronizationSchema): SynchronizationSchema {
  return {
    ...schema,
    synchronizationRules: schema.synchronizationRules.map((rule) => ({
      ...rule,
      objectMappings: rule.objectMappings.map((mapping) => ({
        ...mapping,
        attributeMappings: mapping.attributeMappings.map((m) => ({
          ...m,
          source: normalizeMappingSource(m.source),
        })),
      })),
    })),
  };
}
