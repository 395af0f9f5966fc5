import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A page's filters kept in the URL's search params, read and written by the page's own codec.
 * Two filter boxes may settle in the same moment, each with a change of its own: each change is
 * applied to the parameters the one before it wrote, not to those of the last render (a functional
 * `setSearchParams` would hand both the same params, and the second would undo the first).
 * The location's own changes (back, forward, a link) replace what was written.
 */
export function useUrlFilters<F>(
  read: (params: URLSearchParams) => F,
  write: (params: URLSearchParams, filters: F) => URLSearchParams,
): {
  filters: F;
  searchParams: URLSearchParams;
  setFilters: (change: Partial<F>) => void;
  /** The router's own setter, for the page's other params (an open event). */
  setSearchParams: ReturnType<typeof useSearchParams>[1];
} {
  const [searchParams, setSearchParams] = useSearchParams();
  // The params last written, and those written that the router has not shown yet, oldest first.
  // The router takes a write in a transition, so renders may come before it shows the last write,
  // and a render may be thrown away: only a shown location (an effect) moves these on. A location
  // that is none of the writes is a navigation of its own, and replaces them.
  const written = useRef(searchParams);
  const pending = useRef<string[]>([]);
  useEffect(() => {
    const at = pending.current.indexOf(searchParams.toString());
    if (at >= 0) {
      pending.current = pending.current.slice(at + 1);
    } else {
      pending.current = [];
      written.current = searchParams;
    }
  }, [searchParams]);
  const setFilters = (change: Partial<F>) => {
    const next = write(written.current, { ...read(written.current), ...change });
    written.current = next;
    pending.current.push(next.toString());
    setSearchParams(next, { replace: true });
  };
  return { filters: read(searchParams), searchParams, setFilters, setSearchParams };
}
