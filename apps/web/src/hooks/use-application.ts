import type { ServicePrincipal } from '@provisio/contracts';
import { useOutletContext } from 'react-router';

/**
 * The application whose sub-page is showing, as loaded by the application page; undefined
 * on the global pages (the provisioning and audit logs are shown in both places).
 */
export function useApplication(): ServicePrincipal | undefined {
  return useOutletContext<ServicePrincipal | undefined>() ?? undefined;
}
