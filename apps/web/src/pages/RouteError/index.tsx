import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorState } from '../../components/ErrorState';
import { usePageStyles } from '../../components/page-styles';
import { paths } from '../../paths';

/** Shown when a page itself crashed: says so, and offers a way back. */
export function RouteErrorPage() {
  const page = usePageStyles();
  const error = useRouteError();
  const shown = isRouteErrorResponse(error)
    ? new Error(`${error.status} ${error.statusText}`)
    : error instanceof Error
      ? error
      : new Error('The page failed to render.');
  return (
    <main className={page.body}>
      <ErrorState
        title="Something went wrong on this page"
        error={shown}
        onRetry={() => window.location.reload()}
      />
      <Link to={paths.home}>Go to the overview</Link>
    </main>
  );
}
