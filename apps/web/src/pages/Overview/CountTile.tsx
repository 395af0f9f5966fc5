import { Card, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { CollectionCount } from '../../api/collections';
import { formatCount } from '../../lib/format';

const useStyles = makeStyles({
  card: { width: '220px' },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    color: tokens.colorNeutralForeground2,
  },
  icon: { display: 'inline-flex', color: tokens.colorBrandForeground1, fontSize: '20px' },
  figure: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
  },
  link: { color: tokens.colorBrandForegroundLink },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** One figure of the overview (users, groups, applications) with a link to the list. */
export function CountTile({
  label,
  icon,
  to,
  query,
}: {
  label: string;
  icon: ReactNode;
  to: string;
  query: UseQueryResult<CollectionCount>;
}) {
  const styles = useStyles();
  return (
    <Card className={styles.card} role="group" aria-label={label}>
      <div className={styles.head}>
        <span className={styles.icon} aria-hidden>
          {icon}
        </span>
        <Text weight="semibold">{label}</Text>
      </div>
      {query.isPending ? (
        <Spinner size="tiny" label={`Counting ${label.toLowerCase()}…`} />
      ) : query.isError ? (
        <Text className={styles.error}>Could not count: {query.error.message}</Text>
      ) : (
        <span className={styles.figure}>{formatCount(query.data.count, query.data.atLeast)}</span>
      )}
      <Link to={to} className={styles.link}>
        View {label.toLowerCase()}
      </Link>
    </Card>
  );
}
