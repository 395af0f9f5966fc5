import { Field, Input, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { provisioningLogDownloadQuerySchema, type ProvisioningLogDownloadFormat } from '@provisio/contracts';
import {
  DOWNLOADABLE_LOGS,
  downloadFileName,
  useLogsDownloadMutation,
  type DownloadableLog,
} from '../data/log-download-mutation';
import { useFormDialog } from '../hooks/use-form-dialog';
import { FormDialog } from './FormDialog';

/**
 * Download as on the Entra log pages: JSON, or CSV (for the provisioning logs three files, the
 * events, their steps and their modified properties, joined on the change ID, in one ZIP; for
 * the audit logs one file); the current filters apply.
 */
export function DownloadLogsDialog({
  log,
  open,
  filter,
  onClose,
}: {
  log: DownloadableLog;
  open: boolean;
  /** The Graph `$filter` of the list on the page. */
  filter: string;
  onClose: () => void;
}) {
  const download = useLogsDownloadMutation();
  const initial: { format: ProvisioningLogDownloadFormat; fileName: string } = {
    format: 'csv',
    fileName: DOWNLOADABLE_LOGS[log].defaultFileName,
  };
  const form = useFormDialog(initial, onClose);
  const fileName = form.values.fileName.trim();

  const submit = () => {
    const body = { format: form.values.format, fileName };
    const valid = form.check(provisioningLogDownloadQuerySchema, body, {
      fileName: 'Enter a file name without \\ / : * ? " < > | (at most 100 characters).',
    });
    if (valid) download.mutate({ log, filter, ...body }, { onSuccess: form.close });
  };

  return (
    <FormDialog
      open={open}
      title="Download logs"
      submitLabel="Download"
      busy={download.isPending}
      onSubmit={submit}
      onClose={form.close}
    >
      <Text>The file holds every event that matches the filters on this page, with dates in UTC.</Text>
      <Field label="File format">
        <RadioGroup
          value={form.values.format}
          onChange={(_e, d) => form.set('format', d.value as ProvisioningLogDownloadFormat)}
        >
          <Radio value="csv" label={DOWNLOADABLE_LOGS[log].csvLabel} />
          <Radio value="json" label="JSON: one array of events, as the API returns them" />
        </RadioGroup>
      </Field>
      <Field
        label="File name"
        validationMessage={form.errors['fileName']}
        hint={
          form.errors['fileName'] || !fileName
            ? undefined
            : `Saved as ${downloadFileName({ log, format: form.values.format, fileName })}`
        }
      >
        <Input value={form.values.fileName} onChange={(_e, d) => form.set('fileName', d.value)} />
      </Field>
    </FormDialog>
  );
}
