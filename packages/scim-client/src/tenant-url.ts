import type { ScimDialect } from './types.js';

/** The flag that switches Entra's client to RFC-compliant PATCH forms. */
export const RFC_PATCH_FLAG = 'aadOptscim062020';
/** Entra's roll-back flag: explicitly keeps the legacy forms, so it wins over the other. */
export const LEGACY_PATCH_FLAG = 'AzureAdScimPatch2017';

export interface ParsedTenantUrl {
  /** Scheme, host, port and path; no query, no fragment, no trailing slash. */
  baseUrl: string;
  /** Query parameters as typed (`name` or `name=value`), e.g. `['aadOptscim062020']`. */
  flags: string[];
  dialect: ScimDialect;
}

/**
 * Splits a Tenant URL into the SCIM base address and its behaviour flags.
 * Every query parameter counts as a flag: a SCIM base address is a path that resource paths are
 * appended to, so a query string can never be part of it.
 *
 * @example parseTenantUrl('https://api.contoso.com/scim/?aadOptscim062020')
 *   // { baseUrl: 'https://api.contoso.com/scim', flags: ['aadOptscim062020'], dialect: 'rfc' }
 */
export function parseTenantUrl(tenantUrl: string): ParsedTenantUrl {
  const typed = tenantUrl.trim();
  if (typed === '')
    throw new Error(
      'The Tenant URL is empty. Enter the SCIM base address of the application, e.g. https://app.example.com/scim.',
    );
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    throw new Error(
      `The Tenant URL "${typed}" is not a valid URL. Enter an absolute address starting with https:// (or http://), e.g. https://app.example.com/scim.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`The Tenant URL must start with https:// or http://, not ${url.protocol}//.`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses such URLs, and credentials belong in the Secret Token field, not in a URL that is logged.
    throw new Error(
      'The Tenant URL must not contain a user name or password. Put the credential in the Secret Token field.',
    );
  }
  const flags: string[] = [];
  for (const [name, value] of url.searchParams) flags.push(value === '' ? name : `${name}=${value}`);
  const hasFlag = (flag: string) =>
    [...url.searchParams.keys()].some((name) => name.toLowerCase() === flag.toLowerCase());
  const dialect: ScimDialect = hasFlag(LEGACY_PATCH_FLAG)
    ? 'entra'
    : hasFlag(RFC_PATCH_FLAG)
      ? 'rfc'
      : 'entra';
  const path = url.pathname.replace(/\/+$/, '');
  return { baseUrl: `${url.origin}${path}`, flags, dialect };
}
