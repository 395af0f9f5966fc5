import {
  checkedConnector,
  DEFAULT_TARGET_POLICY,
  type ScimTransport,
  type TargetLookup,
  type TargetPolicy,
  type TransportAnswer,
} from '@provisio/scim-client';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';

/** Where the worker may connect and how (tests replace the lookup and the connector). */
export interface HttpTransportOptions {
  /** The Tenant URL policy (PROVISIO_TARGET_ALLOW); loopback only beyond public https by default. */
  policy?: TargetPolicy;
  /** Resolves host names (default `dns.lookup`). */
  lookup?: TargetLookup;
  /** Opens a connection to a checked address (default undici's connector). */
  connect?: buildConnector.connector;
}

/** The shape of a failed fetch, which the SCIM client classifies: a TypeError with the socket error as cause. */
const asFetchError = (error: unknown): TypeError => new TypeError('fetch failed', { cause: error });

function headerReader(headers: Record<string, string | string[] | undefined>) {
  return {
    get(name: string): string | null {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Reads a body up to `limit` bytes; a 2xx body beyond it is refused, an error body is cut. */
function readBody(
  body: Dispatcher.ResponseData['body'],
  limit: number,
  ok: boolean,
): Promise<Pick<TransportAnswer, 'text' | 'tooLarge' | 'bodyError'>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (answer: Pick<TransportAnswer, 'text' | 'tooLarge' | 'bodyError'>) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > limit) {
        if (!ok) chunks.push(chunk.subarray(0, limit - size));
        settle(ok ? { text: '', tooLarge: true } : { text: Buffer.concat(chunks).toString('utf8') });
        // The rest is not wanted; the connection goes with it.
        body.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    body.on('end', () =>
      settle({
        text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      }),
    );
    body.on('error', (error: unknown) => settle({ text: '', bodyError: asFetchError(error) }));
  });
}

/**
 * The worker's HTTP transport for SCIM requests: undici's `request` over one keep-alive agent
 * per process. It costs a quarter of the CPU of the global fetch per request (no WHATWG
 * Request/Response/stream objects, no AbortSignal per request), which matters at thousands of
 * requests per second. Redirects are not followed; timeouts are per phase (headers, then body).
 * Every new connection is checked against the Tenant URL policy first: the scheme and host, then
 * each address the host resolves to, right before connecting to one of them, so a saved name that
 * DNS now points at a private or metadata address is refused (a `TargetRefusedError`, which the SCIM
 * client reports as a `refused` failure) and nothing is sent.
 */
export function createHttpTransport(
  options: HttpTransportOptions = {},
): ScimTransport & { close(): Promise<void> } {
  const connect = checkedConnector(
    options.policy ?? DEFAULT_TARGET_POLICY,
    options.connect ?? buildConnector({}),
    options.lookup,
  );
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connect });
  return {
    async send(req) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(req.url, {
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          dispatcher: agent,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        });
      } catch (error) {
        throw asFetchError(error);
      }
      const status = response.statusCode;
      const ok = status >= 200 && status < 300;
      const read = await readBody(response.body, ok ? req.maxSuccessBytes : req.maxErrorBytes, ok);
      return { status, headers: headerReader(response.headers), ...read };
    },
    close: () => agent.close(),
  };
}
