import type { ExpressionError } from './types.js';

/** Thrown by `compileExpression`; `parseExpression` returns the same `error` instead. */
export class ExpressionSyntaxError extends Error {
  readonly error: ExpressionError;

  constructor(error: ExpressionError) {
    super(error.message);
    this.name = 'ExpressionSyntaxError';
    this.error = error;
  }
}

/** 1-based line and column of an offset; `\r\n`, `\n` and a lone `\r` each end a line. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(
  text: string,
  code: string,
  message: string,
  start: number,
  end: number,
  hint?: string,
): ExpressionSyntaxError {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const { line, column } = lineAndColumn(text, s);
  const error: ExpressionError = { message, start: s, end: e, line, column, code };
  if (hint !== undefined) error.hint = hint;
  return new ExpressionSyntaxError(error);
}

/** Damerau-free Levenshtein distance, case-insensitive, bounded for speed. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 0;
  let previous = new Array<number>(y.length + 1);
  let current = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) previous[j] = j;
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[y.length]!;
}

/** The closest candidate to a misspelt name, if one is close enough to be a plausible typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  // A third of the name (at least one edit) keeps "Joinn"→"Join", "Repalce"→"Replace" and
  // "tolower"→"ToLower" while refusing to suggest "Mid" for "mail".
  const allowed = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= allowed ? best : undefined;
}
