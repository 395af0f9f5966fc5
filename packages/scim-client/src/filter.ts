// Attribute names in filters: plain names, sub-attributes and schema-URN-qualified names.
// Anything else is refused rather than escaped, because it could change the meaning of the filter.
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_$-]*(?:[.:][A-Za-z0-9_$.-]+)*$/;

/**
 * Quotes a value for a SCIM filter. RFC 7644 makes a filter's string a JSON string, so it is
 * written as JSON writes one: `\` and `"` escaped, and control characters too (a tab as `\t`),
 * which a server's JSON parser refuses raw.
 */
export function quoteFilterValue(value: string): string {
  return JSON.stringify(value);
}

/**
 * Builds `attribute eq "value"`, the only filter form the provisioning service sends.
 *
 * @example equalityFilter('userName', 'a"b') // 'userName eq "a\\"b"'
 */
export function equalityFilter(attribute: string, value: string): string {
  if (!ATTRIBUTE_NAME.test(attribute)) {
    throw new Error(`"${attribute}" is not a SCIM attribute name that can be used in a filter.`);
  }
  return `${attribute} eq ${quoteFilterValue(value)}`;
}

/** Encodes query parameters with %20 for spaces: some SCIM servers do not decode `+` in filters. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
