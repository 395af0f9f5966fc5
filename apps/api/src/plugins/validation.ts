import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ErrorDetail } from '../errors';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  description?: string;
  [key: string]: unknown;
}

/**
 * Query strings and path parameters arrive as text; their schemas are flat
 * objects, so converting the few typed properties (integers, booleans) is all
 * the coercion needed. Bodies are never coerced: `"accountEnabled": "false"`
 * is an error the caller must see, not a value we guess at.
 */
function coerceFlat(schema: JsonSchema, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !schema.properties) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, property] of Object.entries(schema.properties)) {
    const v = out[key];
    if (typeof v !== 'string') continue;
    if ((property.type === 'integer' || property.type === 'number') && /^-?\d+(\.\d+)?$/.test(v.trim())) {
      out[key] = Number(v);
    } else if (property.type === 'boolean' && (v === 'true' || v === 'false')) {
      out[key] = v === 'true';
    }
  }
  return out;
}

/**
 * Validates requests with TypeBox's compiler (the contracts are TypeBox
 * schemas). Reports every error so the caller can fix them all at once.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : coerceFlat(schema as JsonSchema, input);
    if (check.Check(value)) return { value };
    return { error: check.Errors(value) as unknown as FastifySchemaValidationError[] };
  };
};

interface RawError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

const quote = (values: unknown[]) => values.map((v) => `'${String(v)}'`).join(', ');

/** Finds the sub-schema an error's `schemaPath` (`#/properties/value/items/…`) points at. */
function schemaAt(root: JsonSchema | undefined, schemaPath: string): JsonSchema | undefined {
  if (!root) return undefined;
  let node: unknown = root;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[
      decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))
    ];
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : undefined;
}

function describeLength(target: string, keyword: string, limit: unknown): string {
  switch (keyword) {
    case 'minLength':
      return limit === 1
        ? `${target} must not be empty.`
        : `${target} must be at least ${String(limit)} characters long.`;
    case 'maxLength':
      return `${target} must be at most ${String(limit)} characters long; shorten it.`;
    case 'minimum':
      return `${target} must be ${String(limit)} or more.`;
    case 'maximum':
      return `${target} must be ${String(limit)} or less.`;
    case 'minItems':
      return `${target} must have at least ${String(limit)} item(s).`;
    default:
      return `${target} must have at most ${String(limit)} item(s); split the request.`;
  }
}

/**
 * Turns validation errors into error details, one per field at fault, each
 * naming the field (`body/userPrincipalName`) and saying how to fix it.
 */
export function describeValidation(
  errors: readonly RawError[],
  part: string,
  schema?: JsonSchema,
): ErrorDetail[] {
  const where = part === 'querystring' ? 'query string' : part === 'params' ? 'path' : 'request body';
  const path = (instancePath: string) => `${part}${instancePath}`;
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const extras = new Set<string>();
  const add = (target: string, message: string) => {
    if (seen.has(target)) return;
    seen.add(target);
    details.push({ code: 'request.invalid', message, target });
  };

  // Branch errors of an `anyOf` are only useful together: collect them by field.
  const branches = new Map<string, RawError[]>();
  for (const e of errors) {
    if (/\/anyOf\/\d+$/.test(e.schemaPath) || /\/anyOf\/\d+\//.test(e.schemaPath)) {
      const list = branches.get(e.instancePath) ?? [];
      list.push(e);
      branches.set(e.instancePath, list);
    }
  }

  for (const e of errors) {
    const target = path(e.instancePath);
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params.requiredProperties ?? [e.params.missingProperty]) as unknown[];
        for (const m of missing)
          add(`${target}/${String(m)}`, `${target}/${String(m)} is required: add it to the ${where}.`);
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params.additionalProperties ?? [e.params.additionalProperty]) as unknown[];
        const known = Object.keys(schemaAt(schema, e.schemaPath)?.properties ?? {});
        for (const x of extra) {
          extras.add(`${target}/${String(x)}`);
          add(
            `${target}/${String(x)}`,
            `${target}/${String(x)} is not a known property: remove it or check its spelling` +
              (known.length ? ` (known: ${known.join(', ')}).` : '.'),
          );
        }
        break;
      }
      case 'boolean':
        // Reported again, with the property names, by the `additionalProperties` error.
        break;
      case 'anyOf': {
        const list = (branches.get(e.instancePath) ?? []).filter((b) =>
          b.schemaPath.startsWith(`${e.schemaPath}/anyOf/`),
        );
        const consts = list.filter((b) => b.keyword === 'const').map((b) => b.params.allowedValue);
        const specific = list.find((b) => b.keyword !== 'type' && b.keyword !== 'const');
        if (consts.length > 0 && consts.length === list.length) {
          add(target, `${target} must be one of ${quote(consts)}.`);
        } else if (specific) {
          add(target, describeOne(specific, target, schema));
        } else {
          const types = list.filter((b) => b.keyword === 'type').map((b) => String(b.params.type));
          add(target, `${target} must be ${types.length ? types.join(' or ') : 'a different value'}.`);
        }
        break;
      }
      default:
        if (branches.get(e.instancePath)?.includes(e)) break;
        add(target, describeOne(e, target, schema));
    }
  }
  if (details.length === 0) add(part, `The ${where} is not valid.`);
  // Problems with the fields the caller meant to send come before stray extra properties.
  return [
    ...details.filter((d) => !extras.has(d.target ?? '')),
    ...details.filter((d) => extras.has(d.target ?? '')),
  ];
}

function describeOne(e: RawError, target: string, schema?: JsonSchema): string {
  switch (e.keyword) {
    case 'type': {
      const type = String(e.params.type);
      const article = /^[aeiou]/.test(type) ? 'an' : 'a';
      return `${target} must be ${type === 'null' ? 'null' : `${article} ${type}`}.`;
    }
    case 'pattern': {
      const description = schemaAt(schema, e.schemaPath)?.description;
      return description
        ? `${target} is not in the expected form. ${description}`
        : `${target} must match the pattern ${String(e.params.pattern)}.`;
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'minItems':
    case 'maxItems':
      return describeLength(target, e.keyword, e.params.limit);
    case 'const':
      return `${target} must be '${String(e.params.allowedValue)}'.`;
    case 'format':
      return `${target} must be a valid ${String(e.params.format)}.`;
    default:
      return `${target} ${e.message ?? 'is not valid'}.`;
  }
}
