/**
 * The directory at 100,000 users, through the real API (`buildApp` + `inject`, so the figures are
 * the server's own work, without a network).
 *
 *   pnpm bench:directory [--rows=100000] [--repeat=20]
 *
 * 1. Bulk create: writes a CSV file of `rows` users (every attribute filled in), uploads it as
 *    `POST /directory/bulkOperations?kind=create`, and polls the operation as the portal does,
 *    printing its progress; meanwhile it times a small request every 250 ms, which shows that the
 *    import does not block the API. Figures: the seconds from upload to completion and the
 *    process's peak resident memory (the file is streamed, never held as objects all at once).
 * 2. The Users list at that size, as the portal and Graph clients read it: a search by name
 *    (`$search`, a different name each time) and a deep page (the `@odata.nextLink` of page 900 of
 *    100), each `repeat` times; p95 in milliseconds.
 *
 * The last line is one JSON object with every figure.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BulkOperation, Collection, User } from '@provisio/contracts';
import { startTestApp } from '../test/helpers';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const ROWS = arg('rows', 100_000);
const REPEAT = arg('repeat', 20);
const DEEP_PAGE = Math.min(900, Math.floor(ROWS / 100) - 1);
const DEPARTMENTS = ['Sales', 'Marketing', 'Engineering', 'Finance', 'Support', 'Legal', 'Operations'];
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie'];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024);

/** A user's row; names repeat (as real directories' do), user principal names never. */
function row(i: number): string {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const upn = `${first}.${last}.${i}@contoso.com`.toLowerCase();
  const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
  return [
    upn,
    `"${first} ${last} ${i}"`,
    first,
    last,
    upn,
    upn.split('@')[0],
    dept,
    `${dept} Specialist`,
    String(100_000 + i),
    i % 50 === 0 ? 'false' : 'true',
  ].join(',');
}

async function writeCsv(file: string): Promise<number> {
  const out = createWriteStream(file);
  out.write(
    'userPrincipalName,displayName,givenName,surname,mail,mailNickname,department,jobTitle,employeeId,accountEnabled\r\n',
  );
  for (let i = 0; i < ROWS; i += 1) {
    if (!out.write(`${row(i)}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

async function main() {
  const t = await startTestApp();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const file = join(t.dataDir, 'bench-users.csv');
    const bytes = await writeCsv(file);
    console.log(`wrote ${ROWS.toLocaleString('en-US')} rows (${mb(bytes)} MB) to upload`);
    peakRss = process.memoryUsage().rss;
    const rssBefore = peakRss;

    // ---- 1. bulk create ----
    const started = performance.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/directory/bulkOperations?kind=create&fileName=bench-users.csv',
      headers: { cookie: t.admin, 'content-type': 'text/csv' },
      payload: createReadStream(file),
    });
    if (res.statusCode !== 202) throw new Error(`upload: ${res.statusCode} ${res.body}`);
    const id = res.json<BulkOperation>().id;
    let op = res.json<BulkOperation>();
    const probeTimes: number[] = [];
    let lastPrinted = 0;
    while (!['succeeded', 'completedWithErrors', 'failed'].includes(op.status)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      // The portal's poll: how long it waits while the import runs is how long any request waits.
      const probe = performance.now();
      const poll = await t.app.inject({
        url: `/api/v1.0/directory/bulkOperations/${id}`,
        headers: { cookie: t.admin },
      });
      probeTimes.push(performance.now() - probe);
      op = poll.json<BulkOperation>();
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed - lastPrinted >= 2) {
        lastPrinted = elapsed;
        const done =
          op.status === 'validating'
            ? `${op.validated.toLocaleString('en-US')} validated`
            : `${op.processed.toLocaleString('en-US')} / ${op.total.toLocaleString('en-US')} done`;
        console.log(
          `  ${round(elapsed)} s  ${op.status.padEnd(10)} ${done}  rss ${mb(process.memoryUsage().rss)} MB`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (op.status !== 'succeeded') throw new Error(`bulk create ended ${op.status}: ${JSON.stringify(op)}`);
    probeTimes.sort((a, b) => a - b);
    console.log(
      `bulk create: ${op.succeeded.toLocaleString('en-US')} users in ${round(seconds)} s (${Math.round(op.succeeded / seconds)} rows/s); peak RSS ${mb(peakRss)} MB (${mb(peakRss - rssBefore)} MB above the start); a request during the import waited p95 ${round(percentile(probeTimes, 95), 1)} ms, at most ${round(probeTimes[probeTimes.length - 1] ?? 0, 1)} ms`,
    );
    await t.sql.run('ANALYZE');

    // ---- 2. the Users list at this size ----
    const time = async (url: string) => {
      const at = performance.now();
      const r = await t.app.inject({ url, headers: { cookie: t.reader } });
      if (r.statusCode !== 200) throw new Error(`GET ${url}: ${r.statusCode} ${r.body}`);
      return { ms: performance.now() - at, body: r.json<Collection<User>>() };
    };
    const searchTimes: number[] = [];
    for (let i = 0; i < REPEAT; i += 1) {
      const n = Math.floor((ROWS / REPEAT) * i + 7);
      const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]} ${n}`;
      const { ms, body } = await time(`/api/v1.0/users?$top=100&$search=${encodeURIComponent(name)}`);
      if (body.value.length === 0) throw new Error(`search for ${name} found nothing`);
      searchTimes.push(ms);
    }
    searchTimes.sort((a, b) => a - b);
    console.log(
      `users search by name: p50 ${round(percentile(searchTimes, 50), 2)} ms, p95 ${round(percentile(searchTimes, 95), 2)} ms`,
    );

    // Walk to page DEEP_PAGE through the nextLinks, then read it again and again.
    let link = '/api/v1.0/users?$top=100';
    const walkTimes: number[] = [];
    for (let p = 0; p < DEEP_PAGE; p += 1) {
      const { ms, body } = await time(link);
      walkTimes.push(ms);
      const next = body['@odata.nextLink'];
      if (!next) throw new Error(`the list ended at page ${p + 1}`);
      link = new URL(next).pathname + new URL(next).search;
    }
    const deepTimes: number[] = [];
    for (let i = 0; i < REPEAT; i += 1) deepTimes.push((await time(link)).ms);
    deepTimes.sort((a, b) => a - b);
    walkTimes.sort((a, b) => a - b);
    console.log(
      `users page ${DEEP_PAGE + 1} of 100 via @odata.nextLink: p50 ${round(percentile(deepTimes, 50), 2)} ms, p95 ${round(percentile(deepTimes, 95), 2)} ms (every page on the way: p95 ${round(percentile(walkTimes, 95), 2)} ms)`,
    );
    console.log(`load average ${round(loadavg()[0]!, 2)}`);

    console.log(
      JSON.stringify({
        bulkImport: { rows: op.succeeded, seconds: round(seconds), peakRssMb: mb(peakRss) },
        usersList: {
          searchP95Ms: round(percentile(searchTimes, 95), 2),
          deepPageP95Ms: round(percentile(deepTimes, 95), 2),
        },
      }),
    );
  } finally {
    clearInterval(sampler);
    await t.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
