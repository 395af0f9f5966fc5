import { useRef } from 'react';
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
  // The params last written, until the router shows new ones. A render may come before the router
  // has taken the last write (it updates the location in a transition): it must not undo it.
  const written = useRef(searchParams);
  const shown = useRef(searchParams);
  if (shown.current !== searchParams) {
    shown.current = searchParams;
    written.current = searchParams;
  }
  const setFilters = (change: Partial<F>) => {
    const next = write(written.current, { ...read(written.current), ...change });
    written.current = next;
    setSearchParams(next, { replace: true });
  };
  return { filters: read(searchParams), searchParams, setFilters, setSearchParams };
}
