/**
 * Throughput of the hot path (one UPN-style mapping over 100,000 generated users) and the
 * parse time of an expression at the 10,000-character limit. Ends with one JSON line.
 *
 *   pnpm --filter @provisio/expressions bench
 */
import {
  compileExpression,
  evaluateExpression,
  parseExpression,
  type EvaluationContext,
  type ExpressionValue,
} from '../src/index.js';

const USERS = 100_000;
const ROUNDS = 10;
const EXPRESSION =
  'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com"))';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'John',
  'Zoë',
  'José',
  'María José',
  'Anna',
  'Łukasz',
  'Søren',
  'Chloé',
  'Mary-Ann',
  'Wei',
  'Ólafur',
  'Björn',
];
const FAMILY = [
  'Smith',
  'García-López',
  'van der Berg',
  'Müller',
  'Nowak',
  "O'Connor",
  'Øvergård',
  'Dubois',
  'Kim',
  'Núñez',
];

const rng = mulberry32(2024);
const pick = (items: readonly string[]): string => items[Math.floor(rng() * items.length)]!;
const users: Record<string, ExpressionValue>[] = Array.from({ length: USERS }, (_, i) => ({
  givenName: pick(GIVEN),
  // A number suffix on some users keeps the strings from being all identical.
  surname: i % 3 === 0 ? `${pick(FAMILY)}${i}` : pick(FAMILY),
}));

const expression = compileExpression(EXPRESSION);
let current: Record<string, ExpressionValue> = users[0]!;
const context: EvaluationContext = {
  getAttribute: (name) => current[name],
  now: new Date('2025-01-01T00:00:00Z'),
  random: mulberry32(1),
};

function pass(): number {
  let length = 0;
  for (const user of users) {
    current = user;
    const outcome = evaluateExpression(expression, context);
    if (outcome.kind === 'value' && typeof outcome.value === 'string') length += outcome.value.length;
  }
  return length;
}

// Warm-up: let the engine optimise the closures before timing.
pass();
pass();
let checksum = 0;
const started = performance.now();
for (let r = 0; r < ROUNDS; r++) checksum += pass();
const elapsedMs = performance.now() - started;
const evaluations = USERS * ROUNDS;
const evaluationsPerSecond = Math.round((evaluations / elapsedMs) * 1000);

// A realistic long expression: a Switch table (OU by city) filled up to the 10,000-character limit.
let long = 'Switch([City], "OU=Default,OU=Users,DC=contoso,DC=com"';
for (let i = 0; ; i++) {
  const pair = `,\n  "City ${i}", Join(",", "OU=City ${i}", Mid([Department], 1, 3), "DC=contoso,DC=com")`;
  if (long.length + pair.length + 1 > 10_000) break;
  long += pair;
}
long += ')';

const coldStart = performance.now();
const cold = parseExpression(long);
const coldMs = performance.now() - coldStart;
if (!cold.ok) throw new Error(`the long expression does not parse: ${cold.error.message}`);
// Warm, then the median of single parses: one garbage collection must not skew the figure.
for (let i = 0; i < 50; i++) parseExpression(long);
const PARSES = 200;
const parseTimes: number[] = [];
for (let i = 0; i < PARSES; i++) {
  const t = performance.now();
  parseExpression(long);
  parseTimes.push(performance.now() - t);
}
parseTimes.sort((a, b) => a - b);
const parseMs = parseTimes[PARSES >> 1]!;

console.log(`expression: ${EXPRESSION}`);
console.log(
  `${evaluations.toLocaleString('en-US')} evaluations over ${USERS.toLocaleString('en-US')} users in ${elapsedMs.toFixed(0)} ms`,
);
console.log(`  ${evaluationsPerSecond.toLocaleString('en-US')} evaluations/s (goal ≥ 200,000/s)`);
console.log(
  `parse + compile of a ${long.length}-character expression: ${parseMs.toFixed(3)} ms median (first, cold: ${coldMs.toFixed(3)} ms)`,
);
console.log(
  JSON.stringify({
    evaluationsPerSecond,
    evaluations,
    users: USERS,
    elapsedMs: Math.round(elapsedMs),
    parseChars: long.length,
    parseMs: Number(parseMs.toFixed(3)),
    parseColdMs: Number(coldMs.toFixed(3)),
    checksum,
    node: process.version,
  }),
);
