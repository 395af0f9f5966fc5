import { FluentProvider, Toaster, webLightTheme } from '@fluentui/react-components';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { setUnauthenticatedHandler } from './api/client';
import { createQueryClient } from './api/query-client';
import { TOASTER_ID } from './hooks/use-notify';
import { paths } from './paths';
import { routes } from './routes';
import './styles.css';

const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

// A 401 from any call means the session ended: go to sign-in, then come back here.
setUnauthenticatedHandler(() => {
  const { pathname, search } = router.state.location;
  if (pathname === paths.signIn) return;
  const returnTo = encodeURIComponent(`${pathname}${search}`);
  void router
    .navigate(`${paths.signIn}?returnTo=${returnTo}`, { replace: true })
    .then(() => queryClient.clear());
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <Toaster toasterId={TOASTER_ID} position="top-end" pauseOnHover />
      </QueryClientProvider>
    </FluentProvider>
  </StrictMode>,
);
