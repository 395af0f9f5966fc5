import { useInfiniteQuery } from '@tanstack/react-query';
import { odataString } from '../../api/client';
import { provisioningLogsQueryOptions } from './provisioning-logs-query';

/** Every event of one source object, whatever its application, cycle or date. */
export const objectTimelineFilter = (objectId: string): string =>
  `sourceIdentity/id eq ${odataString(objectId)}`;

/** The provisioning events of one user or group across cycles and applications, newest first. */
export const useObjectTimelineQuery = (objectId: string) =>
  useInfiniteQuery(provisioningLogsQueryOptions(objectTimelineFilter(objectId)));
