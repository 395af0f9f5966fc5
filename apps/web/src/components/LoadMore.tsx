import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} 0`,
  },
  meta: { color: tokens.colorNeutralForeground3 },
});

/** "Load more" under a paged list: follows the server's `@odata.nextLink`. */
export function LoadMore({
  shown,
  hasNextPage,
  isFetchingNextPage,
  onLoadMore,
  noun,
}: {
  shown: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  onLoadMore: () => void;
  noun: string;
}) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <span className={styles.meta} aria-live="polite">
        {shown.toLocaleString()} {noun} shown{hasNextPage ? '; more are available' : ''}
      </span>
      {hasNextPage ? (
        <Button
          onClick={onLoadMore}
          disabled={isFetchingNextPage}
          icon={isFetchingNextPage ? <Spinner size="tiny" /> : undefined}
        >
          Load more
        </Button>
      ) : null}
    </div>
  );
}
