import { Field, Input, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { provisioningLogDownloadQuerySchema, type ProvisioningLogDownloadFormat } from '@provisio/contracts';
import { FormDialog } from '../../components/FormDialog';
import {
  downloadFileName,
  useProvisioningLogsDownloadMutation,
} from '../../data/provisioning-logs/provisioning-logs-download-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';

const INITIAL: { format: ProvisioningLogDownloadFormat; fileName: string } = {
  format: 'csv',
  fileName: 'ProvisioningLogs',
};

/**
 * Download as on the Entra provisioning logs: JSON, or CSV as three files (the events, their steps
 * and their modified properties, joined on the change ID) in one ZIP; the current filters apply.
 */
export function DownloadLogsDialog({
  open,
  filter,
  onClose,
}: {
  open: boolean;
  /** The Graph `$filter` of the list on the page. */
  filter: string;
  onClose: () => void;
}) {
  const download = useProvisioningLogsDownloadMutation();
  const form = useFormDialog(INITIAL, onClose);
  const fileName = form.values.fileName.trim();

  const submit = () => {
    const body = { format: form.values.format, fileName };
    const valid = form.check(provisioningLogDownloadQuerySchema, body, {
      fileName: 'Enter a file name without \\ / : * ? " < > | (at most 100 characters).',
    });
    if (valid) download.mutate({ filter, ...body }, { onSuccess: form.close });
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
          <Radio
            value="csv"
            label="CSV: a ZIP of three files (events, provisioning steps, modified properties) joined on Change ID"
          />
          <Radio value="json" label="JSON: one array of events, as the API returns them" />
        </RadioGroup>
      </Field>
      <Field
        label="File name"
        validationMessage={form.errors['fileName']}
        hint={
          form.errors['fileName'] || !fileName
            ? undefined
            : `Saved as ${downloadFileName({ format: form.values.format, fileName })}`
        }
      >
        <Input value={form.values.fileName} onChange={(_e, d) => form.set('fileName', d.value)} />
      </Field>
    </FormDialog>
  );
}
