import {
  DOWNLOAD_TOO_LARGE_MESSAGE,
  MAX_DOWNLOAD_EVENTS,
  type Collection,
  type ProvisioningLogDownloadFormat,
} from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api, buildUrl, GRAPH } from '../api/client';
import { useNotify } from '../hooks/use-notify';
import { PROVISIONING_LOGS_PATH } from './provisioning-logs/provisioning-logs-query';

/** The logs a person can download, where the API lists them, and what their CSV download is. */
export const DOWNLOADABLE_LOGS = {
  provisioning: {
    path: PROVISIONING_LOGS_PATH,
    title: 'provisioning logs',
    defaultFileName: 'ProvisioningLogs',
    csvExtension: 'zip',
    csvLabel:
      'CSV: a ZIP of three files (events, provisioning steps, modified properties) joined on Change ID',
  },
  audit: {
    path: `${GRAPH}/auditLogs/directoryAudits`,
    title: 'audit logs',
    defaultFileName: 'AuditLogs',
    csvExtension: 'csv',
    csvLabel: 'CSV: one file, a row per event with its target and who did it',
  },
} as const;
export type DownloadableLog = keyof typeof DOWNLOADABLE_LOGS;

export interface LogsDownload {
  log: DownloadableLog;
  /** The Graph `$filter` the list shows. */
  filter: string;
  format: ProvisioningLogDownloadFormat;
  /** Without its extension. */
  fileName: string;
}

/** The address of the download: the API streams it, so the browser saves it as it arrives. */
export const logsDownloadUrl = ({ log, filter, format, fileName }: LogsDownload) =>
  buildUrl(`${DOWNLOADABLE_LOGS[log].path}/download`, { format, $filter: filter || undefined, fileName });

/** What the browser will save the file as. */
export const downloadFileName = ({
  log,
  format,
  fileName,
}: Pick<LogsDownload, 'log' | 'format' | 'fileName'>) =>
  `${fileName}.${format === 'json' ? 'json' : DOWNLOADABLE_LOGS[log].csvExtension}`;

/**
 * Starts a download of a log. A navigation that fails saves the error as the file, so the filter,
 * the session and the number of events (a download holds at most 250,000) are checked first with
 * a one-event read that counts, whose failure is shown like any other; then the browser takes
 * the file from the API and shows its progress.
 */
export function useLogsDownloadMutation() {
  const notify = useNotify();
  return useMutation({
    mutationFn: async (download: LogsDownload) => {
      const first = await api.get<Collection<unknown>>(DOWNLOADABLE_LOGS[download.log].path, {
        $filter: download.filter || undefined,
        $top: 1,
        $count: true,
      });
      if ((first['@odata.count'] ?? 0) > MAX_DOWNLOAD_EVENTS) throw new Error(DOWNLOAD_TOO_LARGE_MESSAGE);
      const link = document.createElement('a');
      link.href = logsDownloadUrl(download);
      link.download = downloadFileName(download);
      document.body.append(link);
      link.click();
      link.remove();
    },
    onSuccess: (_result, download) =>
      notify.success('Download started', `${downloadFileName(download)}: your browser shows its progress.`),
    onError: (error, download) =>
      notify.error(`Could not download the ${DOWNLOADABLE_LOGS[download.log].title}`, error),
  });
}
