import { LockClosed20Regular } from '@fluentui/react-icons';
import { Link } from 'react-router';
import { ROLE_LABEL, useCan } from '../data/auth/use-can';
import { paths } from '../paths';
import { EmptyState } from './EmptyState';
import { PageHeader } from './PageHeader';
import { usePageStyles } from './page-styles';

/** The page a role may not open (typed in the address bar): what it is and who may open it. */
export function NotAllowed({ title, who }: { title: string; who: string }) {
  const page = usePageStyles();
  const can = useCan();
  return (
    <>
      <PageHeader title={title} crumbs={[{ label: 'Home', to: paths.home }]} icon={<LockClosed20Regular />} />
      <div className={page.body}>
        <EmptyState
          title="You are not allowed to open this page"
          icon={<LockClosed20Regular />}
          action={<Link to={paths.home}>Go to the overview</Link>}
        >
          {who} Your role{can.role ? ` (${ROLE_LABEL[can.role]})` : ''} cannot; ask an Administrator if you
          need it.
        </EmptyState>
      </div>
    </>
  );
}
