import type { LogSummaryRange, ProvisioningLogSummary } from '@provisio/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { provisioningLogKeys } from './keys';
import { PROVISIONING_LOGS_PATH } from './provisioning-logs-query';

/** A running cycle writes events all the time; the charts follow it about as fast as the cycles list does. */
const SUMMARY_POLL_MS = 15_000;

export const logSummaryQueryOptions = (range: LogSummaryRange, servicePrincipalId?: string) =>
  queryOptions({
    queryKey: provisioningLogKeys.summary(range, servicePrincipalId),
    queryFn: ({ signal }) =>
      api.get<ProvisioningLogSummary>(
        `${PROVISIONING_LOGS_PATH}/summary`,
        { range, servicePrincipalId },
        signal,
      ),
  });

/**
 * Events per hour or day by status, the last cycles' durations and how far back the logs go, of
 * one application or of all; the previous range stays on screen while another loads.
 */
export const useLogSummaryQuery = (range: LogSummaryRange, servicePrincipalId?: string) =>
  useQuery({
    ...logSummaryQueryOptions(range, servicePrincipalId),
    placeholderData: keepPreviousData,
    refetchInterval: SUMMARY_POLL_MS,
  });
