/**
 * Every check and test, in the order a failure is cheapest to find: lint,
 * formatting, types, unit, integration (real SQLite, real HTTP servers, the
 * real sample SCIM app), then end-to-end in Debian's Chromium against the
 * whole product started by scripts/start.ts. Ends with one summary line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, '.test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

interface Step {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  count?: () => { passed: number; failed: number };
}

function vitestCounts(file: string) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 1 };
    const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    return { passed: r.numPassedTests, failed: r.numFailedTests };
  };
}
function playwrightCounts(file: string) {
  return () => {
    if (!existsSync(file)) return { passed: 0, failed: 1 };
    const r = JSON.parse(readFileSync(file, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number };
    };
    return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected };
  };
}

const steps: Step[] = [
  { name: 'lint', cmd: ['pnpm', 'exec', 'eslint', '.'] },
  { name: 'format', cmd: ['pnpm', 'exec', 'prettier', '--check', '--log-level', 'warn', '.'] },
  { name: 'typecheck', cmd: ['pnpm', '-r', '--workspace-concurrency=2', 'typecheck'] },
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
  { name: 'build', cmd: ['pnpm', '--filter', '@provisio/web', 'build'] },
  {
    name: 'e2e',
    cmd: ['pnpm', '--filter', '@provisio/e2e', 'exec', 'playwright', 'test', '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, 'e2e.json') },
    count: playwrightCounts(join(out, 'e2e.json')),
  },
];

let passed = 0;
let failed = 0;
const failedSteps: string[] = [];
const timings: string[] = [];
for (const step of steps) {
  const began = Date.now();
  console.log(`\n\x1b[1m==> ${step.name}: ${step.cmd.join(' ')}\x1b[0m`);
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  timings.push(`${step.name} ${seconds}s`);
  if (step.count) {
    const c = step.count();
    passed += c.passed;
    failed += c.failed;
  }
  if (r.status !== 0) failedSteps.push(step.name);
}

console.log(`\nsteps: ${timings.join(', ')}`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length && failed === 0) failed = failedSteps.length;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
