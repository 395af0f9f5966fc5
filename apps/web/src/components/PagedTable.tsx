import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { Collection } from '@provisio/contracts';
import type { InfiniteData } from '@tanstack/react-query';
import type { KeyboardEvent, ReactNode } from 'react';
import { allItems } from '../api/collections';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';
import { LoadMore } from './LoadMore';
import { usePageStyles } from './page-styles';

const useStyles = makeStyles({
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
});

/** The part of an infinite collection query (`data/<domain>/*-query.ts`) that a paged table reads. */
export interface PagedQuery<T> {
  data: InfiniteData<Collection<T>> | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  refetch: () => Promise<unknown>;
  fetchNextPage: () => Promise<unknown>;
}

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
}

export interface PagedTableProps<T extends { id: string }> {
  query: PagedQuery<T>;
  /** The table's accessible name. */
  label: string;
  /** What the rows are, in the plural, for the "n shown" line of "Load more". */
  noun: string;
  columns: readonly Column<T>[];
  loadingLabel: string;
  errorTitle: string;
  /** Shown instead of the table when the query returned no items. */
  empty: ReactNode;
  /** Added to the shared table class, e.g. a page's column sizing. */
  className?: string;
  /** Makes the rows open their item on click, Enter or Space, as the log lists do. */
  onRowOpen?: (item: T) => void;
  selectedId?: string | null;
}

/**
 * A list loaded page by page, rendered pending → error → empty → table, with "Load more"
 * under the table while the server has more pages.
 */
export function PagedTable<T extends { id: string }>({
  query,
  label,
  noun,
  columns,
  loadingLabel,
  errorTitle,
  empty,
  className,
  onRowOpen,
  selectedId,
}: PagedTableProps<T>) {
  const styles = useStyles();
  const page = usePageStyles();
  const items = allItems(query.data);

  if (query.isPending) return <LoadingState label={loadingLabel} />;
  if (query.isError) {
    return <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (items.length === 0) return empty;

  const openOnKey = (event: KeyboardEvent, item: T) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowOpen?.(item);
    }
  };
  const rowProps = (item: T) =>
    onRowOpen
      ? {
          tabIndex: 0,
          className: mergeClasses(page.clickableRow, item.id === selectedId && styles.selected),
          'aria-selected': item.id === selectedId,
          onClick: () => onRowOpen(item),
          onKeyDown: (event: KeyboardEvent) => openOnKey(event, item),
        }
      : {};

  return (
    <>
      <div className={page.tableScroll}>
        <Table aria-label={label} className={mergeClasses(page.table, className)} size="small">
          <TableHeader>
            <TableRow>
              {columns.map((column) => (
                <TableHeaderCell key={column.header}>{column.header}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={item.id} {...rowProps(item)}>
                {columns.map((column) => (
                  <TableCell key={column.header}>{column.cell(item)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <LoadMore
        noun={noun}
        shown={items.length}
        hasNextPage={query.hasNextPage}
        isFetchingNextPage={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
    </>
  );
}
