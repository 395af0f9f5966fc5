import { describe, expect, it } from 'vitest';
import { parseTenantUrl } from './tenant-url.js';

describe('parseTenantUrl', () => {
  it.each([
    ['https://api.contoso.com/scim/', 'https://api.contoso.com/scim', [], 'entra'],
    ['https://api.contoso.com/scim', 'https://api.contoso.com/scim', [], 'entra'],
    ['  https://api.contoso.com/scim/v2//  ', 'https://api.contoso.com/scim/v2', [], 'entra'],
    ['https://api.contoso.com/', 'https://api.contoso.com', [], 'entra'],
    [
      'http://localhost:8080/scim?aadOptscim062020',
      'http://localhost:8080/scim',
      ['aadOptscim062020'],
      'rfc',
    ],
    [
      'https://x.example.com/scim/?AADOPTSCIM062020',
      'https://x.example.com/scim',
      ['AADOPTSCIM062020'],
      'rfc',
    ],
    [
      'https://x.example.com/scim?aadOptscim062020&AzureAdScimPatch2017',
      'https://x.example.com/scim',
      ['aadOptscim062020', 'AzureAdScimPatch2017'],
      'entra',
    ],
    ['https://x.example.com/scim?other=1#frag', 'https://x.example.com/scim', ['other=1'], 'entra'],
    ['https://[::1]:9443/scim', 'https://[::1]:9443/scim', [], 'entra'],
  ])('%s', (input, baseUrl, flags, dialect) => {
    expect(parseTenantUrl(input)).toEqual({ baseUrl, flags, dialect });
  });

  it.each([
    ['', /empty/],
    ['api.contoso.com/scim', /not a valid URL/],
    ['ftp://api.contoso.com/scim', /https:\/\/ or http:\/\//],
    ['https://admin:pw@api.contoso.com/scim', /user name or password/],
  ])('refuses %j', (input, message) => {
    expect(() => parseTenantUrl(input)).toThrow(message);
  });
});
