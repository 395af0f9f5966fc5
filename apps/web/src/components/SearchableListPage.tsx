import { Button, Field, SearchBox, Toolbar, ToolbarButton } from '@fluentui/react-components';
import { Add20Regular, ArrowClockwise20Regular } from '@fluentui/react-icons';
import { useState, type ComponentType, type ReactElement, type ReactNode } from 'react';
import { useCan } from '../data/auth/use-can';
import type { SearchText } from '../hooks/use-search-text';
import { paths } from '../paths';
import { EmptyState } from './EmptyState';
import { PageHeader } from './PageHeader';
import { PagedTable, type PagedTableProps } from './PagedTable';
import { ReadOnlyNote } from './ReadOnlyNote';
import { usePageStyles } from './page-styles';

export interface SearchableListPageProps<T extends { id: string }> extends Omit<PagedTableProps<T>, 'empty'> {
  title: string;
  subtitle?: string;
  /** The page's icon, also drawn in the empty state. */
  icon: ReactElement;
  /** The accessible name of the command bar. */
  commandsLabel: string;
  /** The text of the New buttons of the command bar and of the empty state, which open `CreateDialog`. */
  createLabel: string;
  /** The create dialog; or `onCreate` when New leads to a page of its own (the applications' gallery). */
  CreateDialog?: ComponentType<{ open: boolean; onClose: () => void }>;
  onCreate?: () => void;
  /** More commands of the command bar, after New and Refresh (e.g. the Users page's Bulk operations). */
  commands?: ReactNode;
  /** A paragraph above the search box. */
  intro?: ReactNode;
  searchLabel: string;
  searchPlaceholder: string;
  /** The page owns the search text because its query hook needs `search.debounced`. */
  search: SearchText;
  /** Filters shown under the search box (e.g. the Users page's department, enabled, application). */
  filters?: ReactNode;
  /** True while a filter narrows the list: an empty list then says nothing matches. */
  filtered?: boolean;
  noMatchTitle: (term: string) => string;
  noMatchHint: ReactNode;
  emptyTitle: string;
  emptyHint: ReactNode;
}

/**
 * A top-level list of the directory or of the applications: header, New and Refresh, a search
 * box and the paged table. An empty list offers New; an empty search result says how to search.
 * A role that may not change anything sees no New and a note saying so.
 */
export function SearchableListPage<T extends { id: string }>({
  title,
  subtitle,
  icon,
  commandsLabel,
  createLabel,
  CreateDialog,
  onCreate,
  commands,
  intro,
  searchLabel,
  searchPlaceholder,
  search,
  filters,
  filtered = false,
  noMatchTitle,
  noMatchHint,
  emptyTitle,
  emptyHint,
  ...table
}: SearchableListPageProps<T>) {
  const page = usePageStyles();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const term = search.debounced.trim();
  const startCreate = onCreate ?? (() => setCreating(true));

  return (
    <>
      <PageHeader
        title={title}
        subtitle={subtitle}
        icon={icon}
        crumbs={[{ label: 'Home', to: paths.home }]}
      />
      <Toolbar aria-label={commandsLabel} className={page.commandBar}>
        {can.manage ? (
          <ToolbarButton icon={<Add20Regular />} onClick={startCreate}>
            {createLabel}
          </ToolbarButton>
        ) : null}
        <ToolbarButton icon={<ArrowClockwise20Regular />} onClick={() => void table.query.refetch()}>
          Refresh
        </ToolbarButton>
        {commands}
      </Toolbar>
      <div className={page.body}>
        <ReadOnlyNote />
        {intro ? <p className={page.intro}>{intro}</p> : null}
        <Field label={searchLabel} className={page.search}>
          <SearchBox
            value={search.text}
            placeholder={searchPlaceholder}
            onChange={(_e, data) => search.setText(data.value)}
          />
        </Field>
        {filters}
        <PagedTable
          {...table}
          empty={
            term || filtered ? (
              <EmptyState title={noMatchTitle(term)}>{noMatchHint}</EmptyState>
            ) : can.manage ? (
              <EmptyState
                title={emptyTitle}
                icon={icon}
                action={
                  <Button appearance="primary" onClick={startCreate}>
                    {createLabel}
                  </Button>
                }
              >
                {emptyHint}
              </EmptyState>
            ) : (
              <EmptyState title={emptyTitle} icon={icon}>
                An Administrator or Application Administrator adds them.
              </EmptyState>
            )
          }
        />
      </div>
      {can.manage && CreateDialog ? (
        <CreateDialog open={creating} onClose={() => setCreating(false)} />
      ) : null}
    </>
  );
}
