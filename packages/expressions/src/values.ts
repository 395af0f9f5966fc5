import { formatDateTimeEnUs } from './dates.js';
import type { ExpressionValue } from './types.js';

/**
 * A UTC instant produced by CDate, DateAdd, Now or DateFromNum. It stays a date while it
 * flows between date functions and becomes the `M/d/yyyy h:mm:ss tt` string everywhere else.
 */
export class DateTimeValue {
  constructor(readonly ms: number) {}

  toString(): string {
    return formatDateTimeEnUs(this.ms);
  }
}

/** Values inside the evaluator: the public ones plus dates. */
export type Value = string | number | boolean | null | DateTimeValue | Value[];

/** A runtime failure of one evaluation (bad date, exhausted SelectUniqueValue…). */
export class EvaluationFailure {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * Thrown (not returned) so that a flow keyword deep inside Join or IIF ends the whole
 * evaluation without every function checking for it. Singletons: throwing costs no allocation.
 */
export class FlowSignal {
  constructor(readonly kind: 'ignoreAttribute' | 'ignoreObject') {}
}
export const IGNORE_ATTRIBUTE = new FlowSignal('ignoreAttribute');
export const IGNORE_OBJECT = new FlowSignal('ignoreObject');

export const fail = (code: string, message: string): never => {
  throw new EvaluationFailure(code, message);
};

export const TRUE = 'True';
export const FALSE = 'False';
export const bool = (b: boolean): string => (b ? TRUE : FALSE);

/** An attribute with no values (empty array) is absent, like a null one. */
export const isNull = (v: Value): boolean => v === null || (Array.isArray(v) && v.length === 0);
export const isNullOrEmpty = (v: Value): boolean =>
  v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The single value used where one is expected: the first of a multi-valued one. */
export function scalar(v: Value): Exclude<Value, Value[]> {
  while (Array.isArray(v)) {
    if (v.length === 0) return null;
    v = v[0]!;
  }
  return v;
}

/** .NET-like string form: booleans "True"/"False", dates `M/d/yyyy h:mm:ss tt`. */
export function toStr(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number')
    return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'boolean') return v ? TRUE : FALSE;
  if (v === null) return '';
  if (v instanceof DateTimeValue) return v.toString();
  const first = scalar(v);
  return first === null ? '' : toStr(first);
}

/** Applies a string transformation to a value, value by value when multi-valued; null stays null. */
export function mapStrings(v: Value, f: (s: string) => Value): Value {
  if (typeof v === 'string') return f(v);
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    const out: Value[] = new Array<Value>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = mapStrings(v[i]!, f);
    return out;
  }
  return f(toStr(v));
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const HEX = /^\s*&[hH]([0-9a-fA-F]+)\s*$/;

/** A number from a number, a numeric string or a `&H…` string; undefined when not numeric. */
export function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (NUMERIC.test(v)) return Number(v);
    const hex = HEX.exec(v);
    if (hex) return parseInt(hex[1]!, 16);
    return undefined;
  }
  if (Array.isArray(v)) {
    const first = scalar(v);
    return first === null ? undefined : asNumber(first);
  }
  return undefined;
}

/** An integer argument; fractions are truncated, as VB's Fix does. */
export function toInteger(v: Value, functionName: string, parameter: string): number {
  const n = asNumber(v);
  if (n === undefined || !Number.isFinite(n)) {
    return fail(
      'expression.type_mismatch',
      `${functionName}: ${parameter} must be a number, got ${JSON.stringify(toStr(v))}`,
    );
  }
  return Math.trunc(n) + 0;
}

/**
 * Truth of a condition. null is false: "if the source attribute used within the IIF
 * function is empty or null, the condition check fails".
 */
export function toBoolean(v: Value, functionName: string): boolean {
  if (typeof v === 'string') {
    if (v === TRUE) return true;
    if (v === FALSE || v === '') return false;
    const lower = v.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    const n = asNumber(v);
    if (n !== undefined) return n !== 0;
    return fail(
      'expression.type_mismatch',
      `${functionName}: ${JSON.stringify(v)} is not a boolean or a number`,
    );
  }
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v === null) return false;
  if (Array.isArray(v)) return toBoolean(scalar(v), functionName);
  return fail('expression.type_mismatch', `${functionName}: a date is not a boolean`);
}

/** The public form of an internal value: dates become strings, nested arrays flatten, no values becomes null. */
export function toOutput(v: Value): ExpressionValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : toStr(v);
  if (v instanceof DateTimeValue) return v.toString();
  if (v.length === 0) return null;
  const out: ExpressionValue[] = [];
  const push = (items: Value[]): void => {
    for (const item of items) {
      if (Array.isArray(item)) push(item);
      else out.push(toOutput(item));
    }
  };
  push(v);
  return out.length === 0 ? null : out;
}
