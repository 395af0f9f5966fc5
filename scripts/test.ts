/**
 * Every check and test, in the order a failure is cheapest to find: lint,
 * formatting and types (side by side), unit, integration (real SQLite, a real PostgreSQL, real
 * HTTP servers, the real sample SCIM app), the suites that reach the database
 * again on PostgreSQL, then end-to-end in Debian's Chromium against the whole
 * product started by scripts/start.ts. Ends with one summary line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, '.test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

interface Counts {
  passed: number;
  failed: number;
  /** "file › test: first line of the failure", one per failed test. */
  failures: string[];
}

interface Step {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  count?: () => Counts;
  /**
   * Runs beside the steps before it that have it too: the static checks, each one process on one
   * core, which alone would leave the second core idle. Their output is shown once each ends.
   */
  alongside?: boolean;
}

/** The first line of a failure message, without colour codes, cut to one screen line. */
function firstLine(message: string): string {
  const line = (
    stripVTControlCharacters(message)
      .split('\n')
      .find((l) => l.trim() !== '') ?? ''
  ).trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function vitestCounts(file: string) {
  return (): Counts => {
    if (!existsSync(file)) return { passed: 0, failed: 1, failures: [`no report at ${file}`] };
    const r = JSON.parse(readFileSync(file, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults?: {
        name: string;
        message?: string;
        assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
      }[];
    };
    const failures: string[] = [];
    for (const f of r.testResults ?? []) {
      const where = f.name.startsWith(root) ? f.name.slice(root.length + 1) : f.name;
      for (const a of f.assertionResults) {
        if (a.status === 'failed')
          failures.push(`${where} › ${a.fullName}: ${firstLine(a.failureMessages[0] ?? '')}`);
      }
      // A file that fails to load or whose hooks throw has no failed assertion to name.
      if (f.message && !f.assertionResults.some((a) => a.status === 'failed')) {
        failures.push(`${where}: ${firstLine(f.message)}`);
      }
    }
    return { passed: r.numPassedTests, failed: r.numFailedTests, failures };
  };
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; ok: boolean; tests?: { results?: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}
function playwrightCounts(file: string) {
  return (): Counts => {
    if (!existsSync(file)) return { passed: 0, failed: 1, failures: [`no report at ${file}`] };
    const r = JSON.parse(readFileSync(file, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number };
      suites: PlaywrightSuite[];
      errors?: { message?: string }[];
    };
    const failures: string[] = [];
    const walk = (s: PlaywrightSuite, fileName: string) => {
      for (const spec of s.specs ?? []) {
        if (spec.ok) continue;
        const results = (spec.tests ?? []).flatMap((t) => t.results ?? []);
        const error = results.map((x) => x.error?.message).find((m) => m) ?? '';
        failures.push(`${fileName} › ${spec.title}: ${firstLine(error)}`);
      }
      for (const child of s.suites ?? []) walk(child, fileName);
    };
    for (const s of r.suites ?? []) walk(s, s.file ?? s.title);
    for (const e of r.errors ?? []) failures.push(`e2e: ${firstLine(e.message ?? '')}`);
    return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, failures };
  };
}

const steps: Step[] = [
  { name: 'lint', cmd: ['pnpm', 'exec', 'eslint', '.'], alongside: true },
  {
    name: 'format',
    cmd: ['pnpm', 'exec', 'prettier', '--check', '--log-level', 'warn', '.'],
    alongside: true,
  },
  // The Node packages as one program (tsconfig.node.json), then the portal and the e2e specs.
  { name: 'typecheck', cmd: ['pnpm', 'typecheck'], alongside: true },
  {
    name: 'unit',
    cmd: [
      'pnpm',
      'exec',
      'vitest',
      'run',
      '--project',
      'unit',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${out}/unit.json`,
    ],
    count: vitestCounts(join(out, 'unit.json')),
  },
  {
    name: 'integration',
    cmd: [
      'pnpm',
      'exec',
      'vitest',
      'run',
      '--project',
      'integration',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${out}/integration.json`,
    ],
    count: vitestCounts(join(out, 'integration.json')),
  },
  {
    // The suites that reach the database, again on PostgreSQL (decision 0010): a throwaway server,
    // installed from Debian's packages when missing, started by the integration project's setup.
    name: 'integration-postgres',
    cmd: [
      'pnpm',
      'exec',
      'vitest',
      'run',
      '--project',
      'integration',
      'packages/db/test',
      'apps/api/test',
      'apps/worker/test',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${out}/integration-postgres.json`,
    ],
    env: { PROVISIO_TEST_DB: 'postgres' },
    count: vitestCounts(join(out, 'integration-postgres.json')),
  },
  {
    // Two API processes and three workers on one PostgreSQL, 100,000 accounts, two workers killed
    // mid-cycle (apps/worker/scale); it prints how the jobs spread over the workers.
    name: 'scale-postgres',
    cmd: [
      'pnpm',
      'exec',
      'vitest',
      'run',
      '--project',
      'scale',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${out}/scale-postgres.json`,
    ],
    count: vitestCounts(join(out, 'scale-postgres.json')),
  },
  { name: 'build', cmd: ['pnpm', 'build'] },
  {
    name: 'e2e',
    cmd: ['pnpm', '--filter', '@provisio/e2e', 'exec', 'playwright', 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, 'e2e.json') },
    count: playwrightCounts(join(out, 'e2e.json')),
  },
];

let passed = 0;
let failed = 0;
const failures: string[] = [];
const failedSteps: string[] = [];
const timings: string[] = [];

const banner = (step: Step) => `\n\x1b[1m==> ${step.name}: ${step.cmd.join(' ')}\x1b[0m`;

/** A step's outcome: its counts when it has them, a failed step when it exited otherwise than 0. */
function settle(step: Step, status: number | null, seconds: string) {
  timings.push(`${step.name} ${seconds}s`);
  if (step.count) {
    const c = step.count();
    passed += c.passed;
    failed += c.failed;
    failures.push(...c.failures.map((f) => `[${step.name}] ${f}`));
  }
  if (status !== 0) failedSteps.push(step.name);
}

/** Runs steps side by side, each one's output kept and shown, with its banner, once it ends. */
async function runAlongside(group: readonly Step[]) {
  const began = Date.now();
  const ends = await Promise.all(
    group.map(
      (step) =>
        new Promise<{ status: number | null; seconds: string }>((done) => {
          const chunks: Buffer[] = [];
          const child = spawn(step.cmd[0]!, step.cmd.slice(1), {
            cwd: root,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, ...step.env },
          });
          child.stdout.on('data', (c: Buffer) => chunks.push(c));
          child.stderr.on('data', (c: Buffer) => chunks.push(c));
          child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
          child.on('close', (status) => {
            console.log(`${banner(step)}\n${Buffer.concat(chunks).toString('utf8')}`);
            done({ status, seconds: ((Date.now() - began) / 1000).toFixed(1) });
          });
        }),
    ),
  );
  group.forEach((step, k) => settle(step, ends[k]!.status, ends[k]!.seconds));
}

for (let k = 0; k < steps.length;) {
  const step = steps[k]!;
  if (step.alongside) {
    let end = k;
    while (end < steps.length && steps[end]!.alongside) end += 1;
    await runAlongside(steps.slice(k, end));
    k = end;
    continue;
  }
  const began = Date.now();
  console.log(banner(step));
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  settle(step, r.status, ((Date.now() - began) / 1000).toFixed(1));
  k += 1;
}

// The failures are repeated last, so that the tail of a long CI log names them.
if (failures.length) console.log(`\nfailed tests:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\nsteps: ${timings.join(', ')}`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length && failed === 0) failed = failedSteps.length;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
