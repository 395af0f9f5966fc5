import {
  DOWNLOAD_TOO_LARGE_MESSAGE,
  MAX_DOWNLOAD_EVENTS,
  type Collection,
  type ProvisioningLogDownloadFormat,
  type ProvisioningObjectSummary,
} from '@provisio/contracts';
import { useMutation } from '@tanstack/react-query';
import { api, buildUrl } from '../../api/client';
import { useNotify } from '../../hooks/use-notify';
import { PROVISIONING_LOGS_PATH } from './provisioning-logs-query';

export interface ProvisioningLogsDownload {
  /** The Graph `$filter` the list shows. */
  filter: string;
  format: ProvisioningLogDownloadFormat;
  /** Without its extension. */
  fileName: string;
}

/** The address of the download: the API streams it, so the browser saves it as it arrives. */
export const provisioningLogsDownloadUrl = ({ filter, format, fileName }: ProvisioningLogsDownload) =>
  buildUrl(`${PROVISIONING_LOGS_PATH}/download`, { format, $filter: filter || undefined, fileName });

/** What the browser will save the file as. */
export const downloadFileName = ({
  format,
  fileName,
}: Pick<ProvisioningLogsDownload, 'format' | 'fileName'>) =>
  `${fileName}.${format === 'json' ? 'json' : 'zip'}`;

/**
 * Starts a download of the provisioning logs. A navigation that fails saves the error as the
 * file, so the filter, the session and the number of events (a download holds at most
 * 250,000) are checked first with a one-event read that counts, whose failure is shown like any
 * other; then the browser takes the file from the API and shows its progress.
 */
export function useProvisioningLogsDownloadMutation() {
  const notify = useNotify();
  return useMutation({
    mutationFn: async (download: ProvisioningLogsDownload) => {
      const first = await api.get<Collection<ProvisioningObjectSummary>>(PROVISIONING_LOGS_PATH, {
        $filter: download.filter || undefined,
        $top: 1,
        $count: true,
      });
      if ((first['@odata.count'] ?? 0) > MAX_DOWNLOAD_EVENTS) throw new Error(DOWNLOAD_TOO_LARGE_MESSAGE);
      const link = document.createElement('a');
      link.href = provisioningLogsDownloadUrl(download);
      link.download = downloadFileName(download);
      document.body.append(link);
      link.click();
      link.remove();
    },
    onSuccess: (_result, download) =>
      notify.success('Download started', `${downloadFileName(download)}: your browser shows its progress.`),
    onError: (error) => notify.error('Could not download the provisioning logs', error),
  });
}
