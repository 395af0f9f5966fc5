import type { MailStatus } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { synchronizationKeys } from './keys';

export const mailStatusQueryOptions = () =>
  queryOptions({
    queryKey: synchronizationKeys.mail(),
    queryFn: ({ signal }) => api.get<MailStatus>(`${GRAPH}/mail`, undefined, signal),
    // The mail server is set when the processes start: it does not change under the page.
    staleTime: Infinity,
  });

/** Whether this installation can send email (PROVISIO_SMTP_URL), and as whom. */
export const useMailStatusQuery = () => useQuery(mailStatusQueryOptions());
