import { TargetIndex, type InitialCycleMatching } from '@provisio/engine';
import type { ObjectTypeHandler } from './object-handler';
import { ObjectFailure, send, targetClient, type SendContext } from './send';
import { Interrupted } from './target-gate';

/** Objects asked for per page (SCIM servers commonly cap pages at 1,000 or less; they say so in itemsPerPage). */
export const LISTING_PAGE_SIZE = 1_000;
/** Pages fetched at once once the total is known. */
const PARALLEL_PAGES = 4;
/** Below this many objects to match, one filter query each is cheap enough: no listing. */
export const LISTING_MIN_USERS = 50;

export interface ListingResult {
  index: TargetIndex;
  requests: number;
}

/**
 * Reads the target's objects of the handler's type once, in pages, keeping only ids and matching
 * values, so an initial cycle can match every object in memory. `Auto` gives up after the first
 * page when listing would cost more requests than filtering (`usersToMatch / 2` pages at most).
 * Null when the type or the target cannot list (an error other than a transient one: the cycle
 * then filters per object, as Entra does) or when listing does not pay.
 */
export async function listTargetObjects(
  ctx: SendContext,
  handler: Pick<ObjectTypeHandler, 'compiled' | 'target'>,
  mode: InitialCycleMatching,
  usersToMatch: number,
): Promise<ListingResult | null> {
  const { compiled } = handler;
  if (mode === 'Filter' || compiled.matching.length === 0) return null;
  if (mode === 'Auto' && usersToMatch < LISTING_MIN_USERS) return null;
  const index = new TargetIndex(
    compiled.matching.map((m) => ({
      path: m.targetAttributeName,
      caseExact: compiled.caseExactByPath[m.targetAttributeName] === true,
    })),
  );
  const target = handler.target(targetClient(ctx));
  const list = target.list;
  if (!list) return null;
  const attributes = index.requestedAttributes;
  let requests = 0;
  const page = async (startIndex: number) => {
    requests += 1;
    return send(ctx, 'lookup', () => list(startIndex, LISTING_PAGE_SIZE, attributes));
  };
  try {
    const first = await page(1);
    for (const r of first.Resources) index.add(r);
    const total = first.totalResults;
    const pageSize = first.Resources.length;
    if (index.size >= total) return { index, requests };
    // A target that returns nothing yet claims more cannot be listed.
    if (pageSize === 0) return null;
    const pages = Math.ceil(total / pageSize);
    if (mode === 'Auto' && pages > usersToMatch / 2) return null;
    const starts: number[] = [];
    for (let start = 1 + pageSize; start <= total; start += pageSize) starts.push(start);
    let next = 0;
    const lane = async () => {
      while (next < starts.length && !ctx.signal.aborted) {
        const listed = await page(starts[next++]!);
        for (const r of listed.Resources) index.add(r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PAGES, starts.length) }, lane));
    return { index, requests };
  } catch (error) {
    // Transient failures were retried already; a target that refuses listing (400, 501…) is matched
    // per user; a 401 has stopped the cycle already, and so has a stop of the worker (Interrupted).
    if (error instanceof ObjectFailure || error instanceof Interrupted) return null;
    throw error;
  }
}
