// The sample app's own page: what it holds, what it was sent, and its fault switches. Rendered on
// the server with every value escaped; the script only submits the fault form and the two buttons
// to the admin API. The bearer token appears nowhere on it.

import type { FaultSettings } from './faults';
import type { RequestLogEntry } from './request-log';

export interface PageUser {
  id: string;
  userName: string;
  displayName: string;
  active: string;
  department: string;
  /** The user's roles by value, as sent: `Admin`, or `Admin (primary)`. */
  roles: string[];
}

export interface PageGroup {
  id: string;
  displayName: string;
  members: string[];
  memberCount: number;
}

export interface PageData {
  scimBaseUrl: string;
  users: PageUser[];
  userCount: number;
  groups: PageGroup[];
  groupCount: number;
  requests: RequestLogEntry[];
  requestCount: number;
  requestLogEnabled: boolean;
  faults: Readonly<FaultSettings>;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function preview(body: unknown): string {
  if (body === null || body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  return text.length > 4000 ? text.slice(0, 4000) + '\n…' : text;
}

function numberField(
  name: keyof FaultSettings,
  label: string,
  value: number,
  step: string,
  hint: string,
): string {
  return `<label>${escapeHtml(label)}<input name="${name}" type="number" min="0" step="${step}" value="${escapeHtml(value)}"><small>${escapeHtml(hint)}</small></label>`;
}

function selectField(name: keyof FaultSettings, label: string, value: string, options: string[]): string {
  const opts = options
    .map((o) => `<option value="${escapeHtml(o)}"${o === value ? ' selected' : ''}>${escapeHtml(o)}</option>`)
    .join('');
  return `<label>${escapeHtml(label)}<select name="${name}">${opts}</select></label>`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The roles of a stored user by value. An entry's value may be the JSON text of a role
 * (`{"id":…,"value":"Admin","displayName":…}`), as Entra's single-role update sends it: its
 * `value` (or `displayName`) is shown.
 */
export function roleNames(roles: unknown): string[] {
  if (!Array.isArray(roles)) return [];
  return roles.flatMap((entry) => {
    if (!isRecord(entry)) return [];
    let name = typeof entry.value === 'string' ? entry.value : '';
    if (name.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(name);
        if (isRecord(parsed)) name = String(parsed.value ?? parsed.displayName ?? name);
      } catch {
        // Plain text that starts with a brace: shown as it is.
      }
    }
    if (name === '') return [];
    return [entry.primary === true ? `${name} (primary)` : name];
  });
}

export function renderPage(d: PageData): string {
  const f = d.faults;
  const users = d.users
    .map(
      (u) =>
        `<tr><td>${escapeHtml(u.userName)}</td><td>${escapeHtml(u.displayName)}</td><td>${escapeHtml(u.active)}</td><td>${escapeHtml(u.department)}</td><td>${escapeHtml(u.roles.join(', '))}</td><td><code>${escapeHtml(u.id)}</code></td></tr>`,
    )
    .join('');
  const groups = d.groups
    .map((g) => {
      const more = g.memberCount > g.members.length ? ` and ${g.memberCount - g.members.length} more` : '';
      const members =
        g.members.length === 0 ? '<em>no members</em>' : escapeHtml(g.members.join(', ')) + escapeHtml(more);
      return `<tr><td>${escapeHtml(g.displayName)}</td><td>${escapeHtml(g.memberCount)}</td><td>${members}</td><td><code>${escapeHtml(g.id)}</code></td></tr>`;
    })
    .join('');
  const requests = d.requests
    .map((r) => {
      const target = r.query ? `${r.path}?${decodeSafe(r.query)}` : r.path;
      const body = preview(r.body);
      const status = r.status === 0 ? 'dropped' : String(r.status);
      const cls = r.status === 0 || r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : 'ok';
      return `<tr><td>${escapeHtml(r.time)}</td><td>${escapeHtml(r.method)}</td><td class="path">${escapeHtml(target)}${
        body ? `<details><summary>body</summary><pre>${escapeHtml(body)}</pre></details>` : ''
      }</td><td class="${cls}">${escapeHtml(status)}</td><td>${escapeHtml(r.durationMs)}</td></tr>`;
    })
    .join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Provisio sample SCIM app</title>
<link rel="stylesheet" href="/assets/page.css">
<script src="/assets/page.js" defer></script>
</head>
<body>
<header role="banner">
  <h1>Provisio sample SCIM app</h1>
  <p>SCIM 2.0 base URL: <code>${escapeHtml(d.scimBaseUrl)}</code> · bearer token: set by <code>SAMPLE_APP_TOKEN</code> (never shown here)</p>
  <p><a href="/">Refresh</a> <label class="inline"><input type="checkbox" id="auto-refresh"> refresh every 3 s</label></p>
</header>
<main role="main">
<section aria-labelledby="users-h">
  <h2 id="users-h">Accounts <small>(${escapeHtml(d.users.length)} of ${escapeHtml(d.userCount)})</small></h2>
  ${
    d.userCount === 0
      ? '<p>No accounts yet. Point a provisioning job at the SCIM base URL above and start it.</p>'
      : `<table><thead><tr><th>userName</th><th>displayName</th><th>active</th><th>department</th><th>roles</th><th>id</th></tr></thead><tbody>${users}</tbody></table>`
  }
</section>
<section aria-labelledby="groups-h">
  <h2 id="groups-h">Groups <small>(${escapeHtml(d.groups.length)} of ${escapeHtml(d.groupCount)})</small></h2>
  ${
    d.groupCount === 0
      ? '<p>No groups yet. Groups appear when a job provisions assigned groups.</p>'
      : `<table><thead><tr><th>displayName</th><th>members</th><th>member names</th><th>id</th></tr></thead><tbody>${groups}</tbody></table>`
  }
</section>
<section aria-labelledby="faults-h">
  <h2 id="faults-h">Fault switches</h2>
  <p>They apply to <code>/scim/v2</code> only. Fractions are between 0 and 1; 0 turns a switch off.</p>
  <form id="faults-form">
    <fieldset><legend>Latency</legend>
      ${numberField('latencyMs', 'Fixed latency (ms)', f.latencyMs, '1', 'added to every served request')}
      ${numberField('jitterMs', 'Jitter (ms)', f.jitterMs, '1', 'random extra latency up to this')}
    </fieldset>
    <fieldset><legend>Errors</legend>
      ${numberField('errorRate', 'Error rate', f.errorRate, '0.01', 'fraction answered with the status below')}
      ${selectField('errorStatus', 'Error status', String(f.errorStatus), ['500', '503'])}
      ${numberField('dropRate', 'Dropped connections', f.dropRate, '0.01', 'fraction whose socket is destroyed')}
    </fieldset>
    <fieldset><legend>Throttling</legend>
      ${numberField('throttleRate', '429 rate', f.throttleRate, '0.01', 'fraction answered 429')}
      ${numberField('throttleEvery', '429 every', f.throttleEvery, '1', 'every n-th request answered 429; 0 = off')}
      ${numberField('retryAfterSeconds', 'Retry-After (s)', f.retryAfterSeconds, '1', 'sent with those 429s')}
      ${numberField('rateLimitPerSecond', 'Rate limit (requests/s)', f.rateLimitPerSecond, '1', '0 = unlimited; surplus gets 429')}
      ${numberField('rateLimitBurst', 'Burst', f.rateLimitBurst, '1', 'requests allowed at once; 0 = a tenth of a second’s worth')}
    </fieldset>
    <fieldset><legend>Capabilities</legend>
      ${selectField('noPatch', 'PATCH', f.noPatch, ['off', '405', '501'])}
      ${selectField('rejectEnterpriseExtension', 'Reject enterprise extension', f.rejectEnterpriseExtension, ['off', 'invalidValue', 'invalidSyntax'])}
      ${selectField('noGroups', 'No groups (/Groups answers 404)', String(f.noGroups), ['false', 'true'])}
      <label>Reject filters on<input name="rejectFilterAttributes" type="text" value="${escapeHtml(f.rejectFilterAttributes.join(', '))}" placeholder="externalId, emails.value"><small>comma-separated attribute names</small></label>
    </fieldset>
    <button type="submit">Save fault switches</button> <button type="button" id="faults-off">All off</button>
    <output id="faults-status" role="status"></output>
  </form>
</section>
<section aria-labelledby="log-h">
  <h2 id="log-h">Requests received <small>(newest first; ${escapeHtml(d.requests.length)} of ${escapeHtml(d.requestCount)})</small></h2>
  <p><button type="button" id="clear-log">Clear request log</button> <button type="button" id="reset-all">Delete all accounts, groups and requests</button></p>
  ${
    !d.requestLogEnabled
      ? '<p>The request log is off (<code>SAMPLE_APP_REQUEST_LOG=off</code>).</p>'
      : d.requests.length === 0
        ? '<p>No SCIM requests yet.</p>'
        : `<table><thead><tr><th>time</th><th>method</th><th>path</th><th>status</th><th>ms</th></tr></thead><tbody>${requests}</tbody></table>`
  }
</section>
</main>
</body>
</html>`;
}

function decodeSafe(q: string): string {
  try {
    return decodeURIComponent(q.replace(/\+/g, ' '));
  } catch {
    return q;
  }
}

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.path { word-break: break-all; }
code { font-size: 12px; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5rem; max-height: 20rem; overflow: auto; }
fieldset { display: inline-block; vertical-align: top; margin: 0 .5rem .5rem 0; }
label { display: block; margin: .25rem 0; } label.inline { display: inline; }
label input, label select { display: block; } label.inline input { display: inline; }
small { color: #666; }
.ok { color: #0a6b0a; } .warn { color: #8a5a00; } .bad { color: #b00020; font-weight: 600; }
`;

export const PAGE_JS = `
'use strict';
const numberFields = ['latencyMs','jitterMs','errorRate','errorStatus','throttleRate','throttleEvery','retryAfterSeconds','rateLimitPerSecond','rateLimitBurst','dropRate'];
async function call(method, url, body) {
  const res = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText;
    try { const j = await res.json(); if (j && j.error && j.error.message) message = j.error.message; } catch (e) { message += ''; }
    throw new Error(message);
  }
}
function status(text) { document.getElementById('faults-status').textContent = text; }
document.getElementById('faults-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const data = new FormData(ev.target);
  const body = {};
  for (const [k, v] of data.entries()) {
    if (k === 'rejectFilterAttributes') body[k] = String(v).split(',').map((s) => s.trim()).filter(Boolean);
    else body[k] = numberFields.includes(k) ? Number(v) : String(v);
  }
  try { await call('PUT', '/admin/faults', body); status('Saved.'); location.reload(); } catch (e) { status('Not saved: ' + e.message); }
});
document.getElementById('faults-off').addEventListener('click', async () => {
  try { await call('DELETE', '/admin/faults'); location.reload(); } catch (e) { status('Failed: ' + e.message); }
});
document.getElementById('clear-log').addEventListener('click', async () => {
  try { await call('DELETE', '/admin/requests'); location.reload(); } catch (e) { alert(e.message); }
});
document.getElementById('reset-all').addEventListener('click', async () => {
  if (!confirm('Delete every account, group and logged request?')) return;
  try { await call('POST', '/admin/reset'); location.reload(); } catch (e) { alert(e.message); }
});
const auto = document.getElementById('auto-refresh');
auto.checked = localStorage.getItem('sample-app.autoRefresh') === '1';
auto.addEventListener('change', () => localStorage.setItem('sample-app.autoRefresh', auto.checked ? '1' : '0'));
setInterval(() => { if (auto.checked && !document.activeElement.closest('form')) location.reload(); }, 3000);
`;
