import { decodeCursor } from '@provisio/db';
import { invalidField } from '../errors';

export interface PageRequest {
  top: number;
  cursor?: string | undefined;
  search?: string | undefined;
}

/** Page size for directory lists: Graph's default of 100 when `$top` is not given. */
export const DEFAULT_PAGE_SIZE = 100;

/** A `$skiptoken` must be one the API handed out; anything else is a client error, not page one. */
export function checkSkipToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (!decodeCursor(token)) {
    throw invalidField(
      'querystring/$skiptoken',
      'querystring/$skiptoken is not a token this API issued: follow the @odata.nextLink of the previous page instead of building it.',
    );
  }
  return token;
}

/**
 * Graph's `$search` is `"property:text"`; the directory searches names and
 * addresses at once, so only the text is kept. Plain text works too.
 */
export function searchText(search: string | undefined): string | undefined {
  if (search === undefined) return undefined;
  const unquoted = search.trim().replace(/^"(.*)"$/, '$1');
  const text = /^\w+:(.*)$/.exec(unquoted)?.[1] ?? unquoted;
  return text.trim() === '' ? undefined : text.trim();
}

export function pageRequest(
  query: { $top?: number | undefined; $skiptoken?: string | undefined; $search?: string | undefined },
  defaultTop = DEFAULT_PAGE_SIZE,
): PageRequest {
  return {
    top: query.$top ?? defaultTop,
    cursor: checkSkipToken(query.$skiptoken),
    search: searchText(query.$search),
  };
}
