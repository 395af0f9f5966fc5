import { Field, Input, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Search20Regular } from '@fluentui/react-icons';
import { Link } from 'react-router';
import { allItems } from '../../api/collections';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePageStyles } from '../../components/page-styles';
import { useGroupsQuery } from '../../data/groups/groups-query';
import { useUsersQuery } from '../../data/users/users-query';
import { useSearchText } from '../../hooks/use-search-text';
import { paths, type ExplainObjectType } from '../../paths';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  hint: { color: tokens.colorNeutralForeground3 },
});

const SHOWN = 10;

/** Explain's first step when no object is named: search a user or group and pick it. */
export function ObjectPicker({
  servicePrincipalId,
  type,
  onTypeChange,
}: {
  servicePrincipalId: string;
  type: ExplainObjectType;
  onTypeChange: (type: ExplainObjectType) => void;
}) {
  const styles = useStyles();
  const page = usePageStyles();
  const search = useSearchText();
  const users = useUsersQuery(search.debounced, { top: SHOWN, enabled: type === 'user' });
  const groups = useGroupsQuery(search.debounced, { top: SHOWN, enabled: type === 'group' });
  const query = type === 'user' ? users : groups;
  const items =
    type === 'user'
      ? allItems(users.data).map((u) => ({ id: u.id, name: u.displayName, hint: u.userPrincipalName }))
      : allItems(groups.data).map((g) => ({ id: g.id, name: g.displayName, hint: g.description ?? '' }));

  return (
    <div className={styles.root}>
      <Text as="p" className={page.intro}>
        Pick a user or group to read whether the next cycle will provision it, why not, and how to fix it.
      </Text>
      <TabList
        aria-label="Explain"
        selectedValue={type}
        onTabSelect={(_e, d) => onTypeChange(d.value === 'group' ? 'group' : 'user')}
      >
        <Tab value="user">A user</Tab>
        <Tab value="group">A group</Tab>
      </TabList>
      <Field label={`Search for a ${type}`}>
        <Input
          value={search.text}
          onChange={(_e, d) => search.setText(d.value)}
          contentBefore={<Search20Regular />}
          className={page.search}
        />
      </Field>
      {query.isPending ? (
        <LoadingState label={type === 'user' ? 'Loading users…' : 'Loading groups…'} />
      ) : query.isError ? (
        <ErrorState
          title={type === 'user' ? 'Users could not be loaded' : 'Groups could not be loaded'}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : items.length === 0 ? (
        <Text>
          No {type} matches “{search.debounced}”. Try another part of the name, or look under{' '}
          <Link to={type === 'user' ? paths.users : paths.groups}>
            {type === 'user' ? 'Users' : 'Groups'}
          </Link>
          .
        </Text>
      ) : (
        <ul className={styles.list} aria-label={type === 'user' ? 'Users' : 'Groups'}>
          {items.map((item) => (
            <li key={item.id}>
              <Link to={paths.explain(servicePrincipalId, { id: item.id, type })}>{item.name}</Link>
              {item.hint ? <span className={styles.hint}> — {item.hint}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
