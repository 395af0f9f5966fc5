import { describe, expect, it } from 'vitest';
import { ScimClient } from './scim-client.js';
import { ScimFailure } from './scim-failure.js';
import type { ScimExchange, ScimTransport, TransportRequest } from './types.js';

const TOKEN = 'probe-s3cr3t-token';

/** A transport that answers every request with the given status, headers and text, and remembers it. */
function answering(status: number, text: string, headers: Record<string, string> = {}) {
  const sent: TransportRequest[] = [];
  const transport: ScimTransport = {
    send: (request) => {
      sent.push(request);
      return Promise.resolve({
        status,
        text,
        headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      });
    },
  };
  return { sent, transport };
}

describe('ScimClient.probe', () => {
  it('returns any status with its headers and parsed body, and sends the request as given', async () => {
    const { sent, transport } = answering(
      429,
      JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' }),
      { 'retry-after': '3' },
    );
    const exchanges: ScimExchange[] = [];
    const client = new ScimClient({
      tenantUrl: 'https://app.example.com/scim/?aadOptscim062020',
      secretToken: TOKEN,
      transport,
      onExchange: (e) => exchanges.push(e),
    });
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] };
    const answer = await client.probe('PATCH', '/Users/1?attributes=id', { body });
    expect(answer).toMatchObject({ status: 429, isJson: true, json: { status: '429' } });
    expect(answer.headers.get('Retry-After')).toBe('3');
    expect(sent[0]).toMatchObject({
      method: 'PATCH',
      url: 'https://app.example.com/scim/Users/1?attributes=id',
      body: JSON.stringify(body),
    });
    expect(sent[0]!.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(exchanges).toEqual([expect.objectContaining({ method: 'PATCH', status: 429 })]);
  });

  it('redacts the Secret Token from the body it returns and logs', async () => {
    const { transport } = answering(401, `Bad token ${TOKEN}`);
    const exchanges: ScimExchange[] = [];
    const client = new ScimClient({
      tenantUrl: 'https://app.example.com/scim',
      secretToken: TOKEN,
      transport,
      onExchange: (e) => exchanges.push(e),
    });
    const answer = await client.probe('GET', '/Users');
    expect(answer.text).toBe('Bad token [redacted]');
    expect(answer.isJson).toBe(false);
    expect(JSON.stringify(exchanges)).not.toContain(TOKEN);
  });

  it('throws a ScimFailure when no answer arrives', async () => {
    const transport: ScimTransport = {
      send: () =>
        Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })),
    };
    const client = new ScimClient({ tenantUrl: 'https://app.example.com/scim', transport });
    const failure = await client.probe('GET', '/Users').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ScimFailure);
    expect((failure as ScimFailure).kind).toBe('transient');
  });
});
