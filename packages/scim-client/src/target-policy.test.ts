import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { failureFromNetworkError } from './scim-failure';
import {
  checkedConnector,
  checkTargetAddress,
  checkTargetUrl,
  createCheckedLookup,
  DEFAULT_TARGET_POLICY,
  parseTargetAllowList,
  resolveTarget,
  TARGET_REFUSED_CODE,
  TargetRefusedError,
  type TargetLookup,
} from './target-policy';

/** A lookup that answers from a table and never asks DNS. */
const lookupFrom =
  (table: Record<string, string[]>): TargetLookup =>
  (hostname, _options, callback) => {
    const addresses = table[hostname];
    if (!addresses) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

describe('checkTargetUrl', () => {
  it.each<[url: string, allow: string, rule: string | null]>([
    // refused by default
    ['http://169.254.169.254/', '', 'metadata'],
    ['https://169.254.169.254/latest/meta-data', '', 'metadata'],
    ['http://2852039166/', '', 'metadata'], // decimal
    ['http://0xa9fea9fe/', '', 'metadata'], // hex
    ['http://0251.0376.0251.0376/', '', 'metadata'], // octal
    ['http://169.254.43518/', '', 'metadata'], // two parts
    ['http://[::ffff:a9fe:a9fe]/', '', 'metadata'], // IPv4-mapped IPv6
    ['http://[::ffff:169.254.169.254]/', '', 'metadata'],
    ['https://[64:ff9b::a9fe:a9fe]/', '', 'metadata'], // NAT64
    ['https://[fd00:ec2::254]/', '', 'metadata'],
    ['https://100.100.100.200/', '', 'metadata'],
    ['https://metadata.google.internal/', '', 'metadata'],
    ['https://169.254.10.1/', '', 'linkLocal'],
    ['https://[fe80::1]/', '', 'linkLocal'],
    ['http://10.0.0.5/', '', 'private'],
    ['https://10.0.0.5/', '', 'private'],
    ['https://172.16.3.4/', '', 'private'],
    ['https://192.168.1.10/', '', 'private'],
    ['https://[fd12:3456::5]/', '', 'private'],
    ['https://100.64.1.1/', '', 'carrierGradeNat'],
    ['https://0.0.0.0/', '', 'unspecified'],
    ['https://0/', '', 'unspecified'],
    ['https://[::]/', '', 'unspecified'],
    ['https://224.0.0.1/', '', 'multicast'],
    ['https://255.255.255.255/', '', 'broadcast'],
    ['https://192.0.2.1/', '', 'reserved'],
    ['https://240.0.0.1/', '', 'reserved'],
    ['https://[2001:db8::1]/', '', 'reserved'],
    ['https://[::a9fe:a9fe]/', '', 'reserved'], // IPv4-compatible IPv6
    ['ftp://x', '', 'scheme'],
    ['http://scim.example.com', '', 'http'],
    ['http://scim.example.com/scim', 'other.example.com', 'http'],
    ['http://8.8.8.8/', '', 'http'],
    // allowed by default
    ['https://scim.example.com', '', null],
    ['https://scim.example.com/scim?aadOptscim062020', '', null],
    ['https://8.8.8.8/scim', '', null],
    ['https://[2606:4700::1111]/scim', '', null],
    ['http://127.0.0.1:8080', '', null],
    ['http://127.1:8080/scim', '', null],
    ['http://localhost:4000/scim', '', null],
    ['http://LOCALHOST./scim', '', null],
    ['http://[::1]:4000/scim', '', null],
    ['http://[::ffff:127.0.0.1]:4000/', '', null],
    // allowed by PROVISIO_TARGET_ALLOW
    ['http://169.254.169.254/', '169.254.169.254', null],
    ['http://2852039166/', '169.254.169.254', null],
    ['http://[::ffff:a9fe:a9fe]/', '169.254.169.254', null],
    ['http://10.0.0.5/', '10.0.0.0/8', null],
    ['http://10.0.0.5/', ' 192.168.0.0/16 , 10.0.0.5 ', null],
    ['http://10.0.0.5/', '10.0.0.6', 'private'],
    ['http://scim.example.com', 'SCIM.example.com.', null],
    ['http://scim.example.com', 'scim.example.com,10.0.0.0/8', null],
    ['https://[fd12:3456::5]/', 'fd12::/16', null],
    ['https://[fd12:3456::5]/', '[fd12:3456::5]', null],
    ['https://metadata.google.internal/', 'metadata.google.internal', null],
    ['ftp://x', 'x', 'scheme'],
  ])('%s with PROVISIO_TARGET_ALLOW=%j → %s', (url, allow, rule) => {
    const refusal = checkTargetUrl(url, parseTargetAllowList(allow));
    expect(refusal?.rule ?? null).toBe(rule);
  });

  it('names the address, the rule and how to allow it', () => {
    expect(checkTargetUrl('http://169.254.169.254/', DEFAULT_TARGET_POLICY)?.message).toBe(
      'The Tenant URL points at 169.254.169.254, a link-local address used by cloud metadata services; ' +
        'Provisio does not send tokens there. If this application really lives there, an administrator ' +
        'can allow it with PROVISIO_TARGET_ALLOW=169.254.169.254.',
    );
    const mapped = checkTargetUrl('http://[::ffff:a9fe:a9fe]/', DEFAULT_TARGET_POLICY);
    expect(mapped?.message).toMatch(/^The Tenant URL points at ::ffff:a9fe:a9fe \(169\.254\.169\.254\), /);
    expect(mapped?.message).toMatch(/PROVISIO_TARGET_ALLOW=169\.254\.169\.254\.$/);
    expect(checkTargetUrl('http://10.0.0.5/', DEFAULT_TARGET_POLICY)?.message).toMatch(
      /10\.0\.0\.5, a private-network address \(10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16\)/,
    );
    const http = checkTargetUrl('http://scim.example.com', DEFAULT_TARGET_POLICY)?.message;
    expect(http).toMatch(/http:\/\/.*unencrypted.*Use https:\/\//);
    expect(http).toMatch(/PROVISIO_TARGET_ALLOW=scim\.example\.com\.$/);
    // With entries already listed, the hint says to add one.
    expect(checkTargetUrl('http://10.0.0.5/', parseTargetAllowList('a.example'))?.message).toMatch(
      /by adding 10\.0\.0\.5 to PROVISIO_TARGET_ALLOW/,
    );
    expect(checkTargetUrl('ftp://x', DEFAULT_TARGET_POLICY)?.message).toMatch(/https:\/\/.*not ftp:\/\//);
  });
});

describe('parseTargetAllowList', () => {
  it('reads names, addresses and ranges separated by commas', () => {
    const policy = parseTargetAllowList('Scim.Corp.example, 10.0.0.5,10.20.0.0/16,fd00::/8,,[::1]');
    expect(policy.hosts).toEqual(['scim.corp.example']);
    expect(policy.ranges.map((r) => r.text)).toEqual(['10.0.0.5', '10.20.0.0/16', 'fd00::/8', '[::1]']);
    expect(parseTargetAllowList(undefined)).toEqual({ hosts: [], ranges: [] });
    expect(parseTargetAllowList(' ')).toEqual({ hosts: [], ranges: [] });
  });

  it.each([
    'https://scim.example.com',
    'scim.example.com:8443',
    '*.example.com',
    '10.0.0',
    '10.0.0.0/33',
    'a b',
  ])('refuses %j, naming the variable', (entry) => {
    expect(() => parseTargetAllowList(`ok.example, ${entry}`)).toThrow(/^PROVISIO_TARGET_ALLOW .*"/);
  });
});

describe('checkTargetAddress (a resolved address)', () => {
  it.each<[address: string, allow: string, rule: string | null]>([
    ['10.0.0.5', '', 'private'],
    ['169.254.169.254', '', 'metadata'],
    ['::ffff:10.0.0.5', '', 'private'],
    ['fe80::1', '', 'linkLocal'],
    ['127.0.0.1', '', null],
    ['::1', '', null],
    ['93.184.215.14', '', null],
    ['10.0.0.5', 'scim.corp.example', null], // the name is allowed: any address
    ['10.0.0.5', '10.0.0.0/24', null],
    ['10.0.1.5', '10.0.0.0/24', 'private'],
  ])('scim.corp.example → %s with PROVISIO_TARGET_ALLOW=%j → %s', (address, allow, rule) => {
    expect(checkTargetAddress('scim.corp.example', address, parseTargetAllowList(allow))?.rule ?? null).toBe(
      rule,
    );
  });

  it('names the host and what it resolved to, and suggests allowing the name', () => {
    expect(checkTargetAddress('scim.corp.example', '10.0.0.5', DEFAULT_TARGET_POLICY)?.message).toBe(
      "The Tenant URL's host scim.corp.example resolves to 10.0.0.5, a private-network address " +
        '(10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16); Provisio does not send tokens there. If this application ' +
        'really lives there, an administrator can allow it with PROVISIO_TARGET_ALLOW=scim.corp.example.',
    );
  });
});

describe('resolveTarget and createCheckedLookup', () => {
  const lookup = lookupFrom({
    'scim.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'inside.example.com': ['10.0.0.5'],
    'mixed.example.com': ['93.184.215.14', '169.254.169.254'],
  });

  it('returns the addresses when every one is allowed', async () => {
    expect(await resolveTarget('scim.example.com', DEFAULT_TARGET_POLICY, lookup)).toHaveLength(2);
    expect(await resolveTarget('[::1]', DEFAULT_TARGET_POLICY, lookup)).toEqual([
      { address: '::1', family: 6 },
    ]);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    await expect(resolveTarget('inside.example.com', DEFAULT_TARGET_POLICY, lookup)).rejects.toMatchObject({
      code: TARGET_REFUSED_CODE,
      refusal: { rule: 'private', host: 'inside.example.com', address: '10.0.0.5' },
    });
    await expect(resolveTarget('mixed.example.com', DEFAULT_TARGET_POLICY, lookup)).rejects.toBeInstanceOf(
      TargetRefusedError,
    );
    expect(
      await resolveTarget('inside.example.com', parseTargetAllowList('inside.example.com'), lookup),
    ).toEqual([{ address: '10.0.0.5', family: 4 }]);
  });

  it('passes a lookup failure on as it is', async () => {
    await expect(resolveTarget('nowhere.example.com', DEFAULT_TARGET_POLICY, lookup)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('works as the lookup option of net.connect', async () => {
    const checked = createCheckedLookup(DEFAULT_TARGET_POLICY, lookup);
    const call = (host: string, options: { all?: boolean; family?: number }) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
        checked(host, options, (error, address, family) => resolve({ error, address, family })),
      );
    expect(await call('scim.example.com', {})).toMatchObject({
      error: null,
      address: '93.184.215.14',
      family: 4,
    });
    expect(await call('scim.example.com', { family: 6 })).toMatchObject({
      address: expect.stringContaining(':'),
    });
    expect((await call('scim.example.com', { all: true })).address).toHaveLength(2);
    expect((await call('inside.example.com', {})).error).toBeInstanceOf(TargetRefusedError);
  });
});

describe('checkedConnector', () => {
  const lookup = lookupFrom({
    'scim.example.com': ['2001:4860::1', '93.184.215.14'],
    'inside.example.com': ['10.0.0.5'],
  });
  /** Stands in for undici's connector: records where it would connect, opens nothing. */
  function fakeConnect(failFirst = false) {
    const calls: { hostname: string; host?: string }[] = [];
    const connect = (
      options: { hostname: string; protocol: string; host?: string },
      callback: (...args: [null, string] | [Error, null]) => void,
    ) => {
      calls.push({ hostname: options.hostname, ...(options.host ? { host: options.host } : {}) });
      if (failFirst && calls.length === 1)
        callback(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), null);
      else callback(null, `socket to ${options.hostname}`);
    };
    return { calls, connect };
  }
  const open = (
    connector: ReturnType<
      typeof checkedConnector<{ hostname: string; protocol: string; host?: string }, string>
    >,
    protocol: string,
    hostname: string,
  ) =>
    new Promise<{ error: Error | null; socket: string | null }>((resolve) =>
      connector({ protocol, hostname, host: `${hostname}:443` }, (error, socket) =>
        resolve({ error, socket }),
      ),
    );

  it('connects to a checked address, keeping the name for TLS', async () => {
    const fake = fakeConnect();
    const result = await open(
      checkedConnector(DEFAULT_TARGET_POLICY, fake.connect, lookup),
      'https:',
      'scim.example.com',
    );
    expect(result).toEqual({ error: null, socket: 'socket to 2001:4860::1' });
    expect(fake.calls).toEqual([{ hostname: '2001:4860::1', host: 'scim.example.com:443' }]);
  });

  it('tries the next address when one cannot be reached', async () => {
    const fake = fakeConnect(true);
    const result = await open(
      checkedConnector(DEFAULT_TARGET_POLICY, fake.connect, lookup),
      'https:',
      'scim.example.com',
    );
    expect(result.socket).toBe('socket to 93.184.215.14');
    expect(fake.calls.map((c) => c.hostname)).toEqual(['2001:4860::1', '93.184.215.14']);
  });

  it.each([
    ['https:', 'inside.example.com', 'private'],
    ['https:', '169.254.169.254', 'metadata'],
    ['http:', 'scim.example.com', 'http'],
  ])('refuses %s//%s (%s) without connecting', async (protocol, hostname, rule) => {
    const fake = fakeConnect();
    const result = await open(
      checkedConnector(DEFAULT_TARGET_POLICY, fake.connect, lookup),
      protocol,
      hostname,
    );
    expect(result.error).toBeInstanceOf(TargetRefusedError);
    expect((result.error as TargetRefusedError).refusal.rule).toBe(rule);
    expect(fake.calls).toEqual([]);
  });

  it('becomes a refused ScimFailure that names the address and the fix', async () => {
    const fake = fakeConnect();
    const { error } = await open(
      checkedConnector(DEFAULT_TARGET_POLICY, fake.connect, lookup),
      'https:',
      'inside.example.com',
    );
    // How fetch and the worker's transport report it: a TypeError whose cause is the connector's error.
    const failure = failureFromNetworkError(
      { method: 'GET', url: 'https://inside.example.com/scim/Users', timeoutMs: 1000, redact: (t) => t },
      new TypeError('fetch failed', { cause: error }),
    );
    expect(failure).toMatchObject({ kind: 'refused', code: 'TargetAddressRefused' });
    expect(failure.message).toMatch(
      /inside\.example\.com resolves to 10\.0\.0\.5.*PROVISIO_TARGET_ALLOW=inside\.example\.com/,
    );
  });
});
