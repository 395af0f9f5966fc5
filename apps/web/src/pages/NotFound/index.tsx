import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { usePageStyles } from '../../components/page-styles';
import { paths } from '../../paths';

export function NotFoundPage() {
  const page = usePageStyles();
  return (
    <>
      <PageHeader title="Page not found" crumbs={[{ label: 'Home', to: paths.home }]} />
      <div className={page.body}>
        <EmptyState
          title="There is no page at this address"
          action={<Link to={paths.home}>Go to the overview</Link>}
        >
          The link may be old or mistyped. Use the navigation on the left to find what you were looking for.
        </EmptyState>
      </div>
    </>
  );
}
