import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The environment variable that lists the hosts, addresses and ranges an administrator allows. */
export const TARGET_ALLOW_VARIABLE = 'PROVISIO_TARGET_ALLOW';

/** The `code` of a {@link TargetRefusedError}, as the socket error codes (`ECONNREFUSED`) are read. */
export const TARGET_REFUSED_CODE = 'TargetAddressRefused';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Where Provisio may send a Secret Token: https anywhere public, http only to loopback, and
 * anything else only to what an administrator allows (PROVISIO_TARGET_ALLOW).
 */
export interface TargetPolicy {
  /** Allowed host names: lower case, without a trailing dot. */
  readonly hosts: readonly string[];
  /** Allowed addresses and ranges (a single address is a /32 or /128), as written. */
  readonly ranges: readonly { readonly text: string; readonly range: readonly [Address, number] }[];
}

/** What kind of address a refused address is. */
export type RefusedAddressKind =
  | 'metadata'
  | 'linkLocal'
  | 'private'
  | 'carrierGradeNat'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** Why a Tenant URL or address is refused, with a message that names the rule and the fix. */
export interface TargetRefusal {
  rule: 'scheme' | 'http' | RefusedAddressKind;
  /** The host as written in the Tenant URL. */
  host: string;
  /** The refused address (the host itself when it is an address, else what it resolved to). */
  address?: string;
  message: string;
}

/** A connection Provisio refused to make; its `code` is {@link TARGET_REFUSED_CODE}. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = TARGET_REFUSED_CODE;
  constructor(readonly refusal: TargetRefusal) {
    super(refusal.message);
  }
}

/** The policy with nothing allowed beyond the defaults (loopback). */
export const DEFAULT_TARGET_POLICY: TargetPolicy = { hosts: [], ranges: [] };

// Addresses the cloud providers serve instance metadata (and credentials) on.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, Azure, Google Cloud, Oracle, DigitalOcean, OpenStack
  '169.254.170.2', // AWS ECS task metadata
  'fd00:ec2::254', // AWS over IPv6
  '100.100.100.200', // Alibaba Cloud
  '168.63.129.16', // Azure WireServer
]);
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog']);

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const normalizeName = (name: string) => name.toLowerCase().replace(/\.$/, '');
const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** An address as it is connected to: IPv4-mapped and translated IPv6 forms are their IPv4 address. */
function effectiveAddress(address: Address): Address {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const nat64 = v6.match(ipaddr.IPv6.parse('64:ff9b::'), 96);
  if (range === 'ipv4Mapped' || range === 'rfc6145' || nat64) {
    const bytes = v6.toByteArray().slice(12);
    return ipaddr.fromByteArray(bytes);
  }
  return v6;
}

/**
 * Reads PROVISIO_TARGET_ALLOW: comma-separated host names (`scim.corp.example`), IP addresses
 * (`10.0.0.5`, `fd12::5`) and CIDR ranges (`10.20.0.0/16`). Throws an Error naming the variable
 * and the entry it cannot read.
 *
 * @example parseTargetAllowList('scim.corp.example, 10.20.0.0/16')
 */
export function parseTargetAllowList(text: string | undefined): TargetPolicy {
  const hosts: string[] = [];
  const ranges: { text: string; range: [Address, number] }[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const bare = unbracket(entry);
    if (bare.includes('/') && ipaddr.isValidCIDR(bare)) {
      const [address, bits] = ipaddr.parseCIDR(bare);
      const effective = effectiveAddress(address);
      // An IPv4-mapped range (::ffff:10.0.0.0/104) is its IPv4 range.
      const effectiveBits = effective.kind() === address.kind() ? bits : Math.max(0, bits - 96);
      ranges.push({ text: entry, range: [effective, effectiveBits] });
    } else if (ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare)) {
      const address = effectiveAddress(ipaddr.parse(bare));
      ranges.push({ text: entry, range: [address, address.kind() === 'ipv4' ? 32 : 128] });
    } else if (HOST_NAME.test(normalizeName(entry)) && !/^[\d.]+$/.test(entry)) {
      // The URL parser reads names as a Tenant URL's host is read (0x0a000005 is 10.0.0.5).
      const host = normalizeName(new URL(`http://${entry}`).hostname);
      if (isIP(host)) ranges.push({ text: entry, range: [ipaddr.parse(host), 32] });
      else hosts.push(host);
    } else {
      throw new Error(
        `${TARGET_ALLOW_VARIABLE} has an entry that is neither a host name, an IP address nor a CIDR range: "${entry}". ` +
          'List them separated by commas, without scheme or port, e.g. scim.corp.example,10.0.0.5,10.20.0.0/16.',
      );
    }
  }
  return { hosts, ranges };
}

/** Whether the host as written (a name or an address) is on the allow-list. */
function allowsHost(policy: TargetPolicy, host: string): boolean {
  const bare = unbracket(host);
  if (isIP(bare)) return allowsAddress(policy, effectiveAddress(ipaddr.parse(bare)));
  return policy.hosts.includes(normalizeName(bare));
}

function allowsAddress(policy: TargetPolicy, address: Address): boolean {
  return policy.ranges.some(
    ({ range: [base, bits] }) => base.kind() === address.kind() && address.match(base, bits),
  );
}

const isLoopbackName = (host: string) => normalizeName(host) === 'localhost';

function kindOf(address: Address): RefusedAddressKind | 'public' | 'loopback' {
  const range = address.range() as string;
  if (address.kind() === 'ipv6' && range === 'unicast') {
    // ::/96 holds the deprecated IPv4-compatible forms (::a9fe:a9fe); nothing public lives there.
    if (address.match(ipaddr.IPv6.parse('::'), 96)) return 'reserved';
  }
  switch (range) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'linkLocal';
    case 'private':
    case 'uniqueLocal':
      return 'private';
    case 'carrierGradeNat':
      return 'carrierGradeNat';
    case 'unspecified':
      return 'unspecified';
    case 'multicast':
      return 'multicast';
    case 'broadcast':
      return 'broadcast';
    default:
      return 'reserved';
  }
}

const RANGES: Record<Exclude<RefusedAddressKind, 'metadata'>, { ipv4: string; ipv6: string }> = {
  linkLocal: { ipv4: 'a link-local address (169.254.0.0/16)', ipv6: 'a link-local address (fe80::/10)' },
  private: {
    ipv4: 'a private-network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
    ipv6: 'a private-network address (fc00::/7)',
  },
  carrierGradeNat: {
    ipv4: 'a carrier-grade NAT address (100.64.0.0/10)',
    ipv6: 'a carrier-grade NAT address',
  },
  unspecified: {
    ipv4: 'the unspecified address (0.0.0.0/8), which reaches this machine',
    ipv6: 'the unspecified address (::), which reaches this machine',
  },
  multicast: { ipv4: 'a multicast address (224.0.0.0/4)', ipv6: 'a multicast address (ff00::/8)' },
  broadcast: { ipv4: 'the broadcast address', ipv6: 'the broadcast address' },
  reserved: {
    ipv4: 'a reserved or special-purpose address',
    ipv6: 'a reserved or special-purpose address',
  },
};

const METADATA_WHAT: Record<string, string> = {
  linkLocal: 'a link-local address used by cloud metadata services',
  private: 'a private-network address used by cloud metadata services',
  carrierGradeNat: 'a carrier-grade NAT address used by cloud metadata services',
  public: 'an address used by cloud metadata services',
};

function allowHint(policy: TargetPolicy, entry: string): string {
  return policy.hosts.length + policy.ranges.length === 0
    ? `an administrator can allow it with ${TARGET_ALLOW_VARIABLE}=${entry}.`
    : `an administrator can allow it by adding ${entry} to ${TARGET_ALLOW_VARIABLE} (a comma-separated list).`;
}

/**
 * Checks one address the Tenant URL's host is, or resolves to. Loopback and public addresses pass;
 * link-local, cloud metadata, private, carrier-grade NAT, unspecified, multicast and reserved ones
 * are refused unless the host or the address is allowed.
 *
 * @example checkTargetAddress('scim.corp.example', '10.0.0.5', policy)
 *   // { rule: 'private', message: "The Tenant URL's host scim.corp.example resolves to 10.0.0.5, a private-network address …" }
 */
export function checkTargetAddress(
  host: string,
  address: string,
  policy: TargetPolicy,
): TargetRefusal | null {
  const shownHost = unbracket(host);
  if (!isIP(address)) throw new Error(`"${address}" is not an IP address.`);
  const written = ipaddr.parse(address);
  const effective = effectiveAddress(written);
  if (allowsHost(policy, shownHost) || allowsAddress(policy, effective)) return null;
  const kind = kindOf(effective);
  const plain = effective.toString();
  const metadata = METADATA_ADDRESSES.has(plain);
  if (!metadata && (kind === 'public' || kind === 'loopback')) return null;
  const what = metadata
    ? (METADATA_WHAT[kind] ?? METADATA_WHAT.public!)
    : RANGES[kind as Exclude<RefusedAddressKind, 'metadata'>][effective.kind()];
  const shownAddress = written.toString() === plain ? plain : `${written.toString()} (${plain})`;
  const literal = isIP(shownHost) !== 0;
  const where = literal
    ? `The Tenant URL points at ${shownAddress}`
    : `The Tenant URL's host ${shownHost} resolves to ${shownAddress}`;
  return {
    rule: metadata ? 'metadata' : (kind as RefusedAddressKind),
    host: shownHost,
    address: plain,
    message:
      `${where}, ${what}; Provisio does not send tokens there. ` +
      `If this application really lives there, ${allowHint(policy, literal ? plain : shownHost)}`,
  };
}

/**
 * Checks a Tenant URL as written: the scheme (https, or http for loopback and allowed hosts), a
 * host that is an address in any notation (decimal, octal, hex, IPv4-mapped IPv6: the URL parser
 * normalises them) and the cloud metadata host names. A name's addresses are checked when it is
 * resolved ({@link resolveTarget}), right before each connection.
 *
 * @example checkTargetUrl('http://2852039166/', DEFAULT_TARGET_POLICY)?.rule // 'metadata'
 */
export function checkTargetUrl(tenantUrl: string, policy: TargetPolicy): TargetRefusal | null {
  let url: URL;
  try {
    url = new URL(tenantUrl.trim());
  } catch {
    throw new Error(`The Tenant URL "${tenantUrl}" is not a valid URL.`);
  }
  return checkTargetHost(url.protocol, url.hostname, policy);
}

/** The static part of the policy for a connection to `hostname` over `protocol` (`https:`). */
export function checkTargetHost(
  protocol: string,
  hostname: string,
  policy: TargetPolicy,
): TargetRefusal | null {
  const host = unbracket(hostname);
  if (protocol !== 'https:' && protocol !== 'http:') {
    return {
      rule: 'scheme',
      host,
      message: `The Tenant URL must start with https:// (or http:// for loopback and allowed hosts), not ${protocol}//; Provisio sends tokens over no other protocol.`,
    };
  }
  const literal = isIP(host) !== 0;
  if (literal) {
    const refused = checkTargetAddress(host, host, policy);
    if (refused) return refused;
  } else if (METADATA_NAMES.has(normalizeName(host)) && !allowsHost(policy, host)) {
    return {
      rule: 'metadata',
      host,
      message:
        `The Tenant URL points at ${host}, the name of a cloud metadata service; Provisio does not send tokens there. ` +
        `If this application really lives there, ${allowHint(policy, host)}`,
    };
  }
  if (protocol === 'http:') {
    const loopback = literal
      ? kindOf(effectiveAddress(ipaddr.parse(host))) === 'loopback'
      : isLoopbackName(host);
    if (!loopback && !allowsHost(policy, host)) {
      return {
        rule: 'http',
        host,
        message:
          `The Tenant URL uses http://, which would send the Secret Token to ${host} unencrypted; Provisio uses http only for loopback hosts (localhost, 127.0.0.0/8, ::1) and hosts an administrator allows. ` +
          `Use https://, or, if this application really only speaks http, ${allowHint(policy, host)}`,
      };
    }
  }
  return null;
}

/** Resolves a host name to all its addresses, like `dns.lookup(hostname, { all: true }, callback)`. */
export type TargetLookup = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: TargetLookup = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * The addresses to connect to for `hostname`, every one of them checked: an address is checked as
 * it is, a name is resolved with `lookup` (default `dns.lookup`). Rejects with a
 * {@link TargetRefusedError} when any address is refused, or with the lookup's own error.
 */
export function resolveTarget(
  hostname: string,
  policy: TargetPolicy,
  lookup: TargetLookup = systemLookup,
): Promise<LookupAddress[]> {
  const host = unbracket(hostname);
  const family = isIP(host);
  if (family !== 0) {
    const refused = checkTargetAddress(host, host, policy);
    return refused
      ? Promise.reject(new TargetRefusedError(refused))
      : Promise.resolve([{ address: host, family }]);
  }
  return new Promise((resolve, reject) => {
    lookup(host, { all: true }, (error, addresses) => {
      if (error) return reject(error);
      if (addresses.length === 0) {
        return reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
      }
      for (const { address } of addresses) {
        const refused = checkTargetAddress(host, address, policy);
        if (refused) return reject(new TargetRefusedError(refused));
      }
      resolve(addresses);
    });
  });
}

/**
 * A `dns.lookup` replacement for `net.connect`/`tls.connect` (the `lookup` option) that refuses,
 * with a {@link TargetRefusedError}, a name any of whose addresses the policy refuses.
 */
export function createCheckedLookup(
  policy: TargetPolicy,
  lookup: TargetLookup = systemLookup,
): (
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void {
  return (hostname, options, callback) => {
    resolveTarget(hostname, policy, lookup).then(
      (addresses) => {
        const wanted =
          options.family === 6 || options.family === 'IPv6'
            ? 6
            : options.family === 4 || options.family === 'IPv4'
              ? 4
              : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
        if (options.all) return callback(null, usable);
        const first = usable[0];
        if (!first) {
          return callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
            '',
          );
        }
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** What a connector (undici's `connect` option) is given. */
export interface TargetConnectOptions {
  hostname: string;
  protocol: string;
  /** `host:port` as written; TLS takes the server name from it, so it stays the name. */
  host?: string;
  servername?: string | null;
}

/** Opens one connection (undici's connector shape). */
export type TargetConnector<O extends TargetConnectOptions, S> = (
  options: O,
  callback: (...args: [null, S] | [Error, null]) => void,
) => void;

/**
 * Wraps a connector (undici's `buildConnector()`) so that every new connection is checked first:
 * the scheme and host as written, then every address the host resolves to. The connection goes to
 * a checked address (tried in order), so DNS cannot answer differently between the check and the
 * connection; TLS still verifies the certificate against the name. A refused connection fails
 * with a {@link TargetRefusedError} before anything is sent.
 *
 * @example new Agent({ connect: checkedConnector(policy, buildConnector({})) })
 */
export function checkedConnector<O extends TargetConnectOptions, S>(
  policy: TargetPolicy,
  connect: TargetConnector<O, S>,
  lookup: TargetLookup = systemLookup,
): TargetConnector<O, S> {
  return (options, callback) => {
    const refused = checkTargetHost(options.protocol, options.hostname, policy);
    if (refused) return callback(new TargetRefusedError(refused), null);
    resolveTarget(options.hostname, policy, lookup).then(
      (addresses) => {
        const attempt = (index: number): void => {
          const address = addresses[index]!.address;
          connect({ ...options, hostname: address }, (...result) => {
            const [error] = result;
            if (error && index + 1 < addresses.length) return attempt(index + 1);
            callback(...result);
          });
        };
        attempt(0);
      },
      (error: Error) => callback(error, null),
    );
  };
}
