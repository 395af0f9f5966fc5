import { describe, expect, it } from 'vitest';
import { originSplitter } from './http-transport';

const byUrl = (url: string) => {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
};

describe('the origin and path of a request URL', () => {
  it('are what `new URL` makes of them, whether or not the path is taken as it is', () => {
    const split = originSplitter();
    const urls = [
      'http://127.0.0.1:4010/scim/v2/Users',
      'http://127.0.0.1:4010/scim/v2/Users?startIndex=1&count=1000&attributes=userName',
      'http://127.0.0.1:4010/scim/v2/Users?filter=userName%20eq%20%22ada%40example.com%22',
      'HTTP://App.Example.COM:80/scim/Users/a%2Fb',
      'https://user:pass@app.example.com:443/scim/Groups/1',
      'https://app.example.com/scim/./Users/../Groups',
      'https://app.example.com/scim/%2e%2e/Users',
      'https://app.example.com/scim/Users?filter=displayName eq "O\'Brien"',
      'https://app.example.com/scim/Users/ä{}`^|',
      'https://app.example.com/scim/Users#fragment',
      'https://app.example.com?x=/scim/Users',
      'https://app.example.com\\evil/scim/Users',
      'https://app.example.com/scim?aadOptscim062020/Users',
    ];
    for (const url of urls) {
      expect(split(url), url).toEqual(byUrl(url));
      // The second time comes from the remembered origin.
      expect(split(url), url).toEqual(byUrl(url));
    }
  });

  it('refuses what `new URL` refuses', () => {
    expect(() => originSplitter()('not a url/Users')).toThrow();
  });
});
