import type { ApplicationTemplate } from '@provisio/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, GRAPH } from '../../api/client';
import { applicationTemplateKeys } from './keys';

export const applicationTemplateQueryOptions = (id: string) =>
  queryOptions({
    queryKey: applicationTemplateKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<ApplicationTemplate>(
        `${GRAPH}/applicationTemplates/${encodeURIComponent(id)}`,
        undefined,
        signal,
      ),
    staleTime: 10 * 60_000,
  });

/** One template of the gallery with its tutorial; disabled without an id (an application not from the gallery). */
export const useApplicationTemplateQuery = (id: string | null) =>
  useQuery({ ...applicationTemplateQueryOptions(id ?? ''), enabled: id !== null && id !== '' });
