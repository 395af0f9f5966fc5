import {
  Button,
  Field,
  Link as FluentLink,
  Radio,
  RadioGroup,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular, ArrowUpload20Regular } from '@fluentui/react-icons';
import type { BulkOperationKind } from '@provisio/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useBulkOperationCreateMutation } from '../../data/bulk-operations/bulk-operation-create-mutation';
import { bulkOperationPaths } from '../../data/bulk-operations/paths';
import { paths } from '../../paths';
import { KIND_HINT, KIND_LABEL } from './labels';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  step: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  download: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/**
 * Entra's bulk blade: pick the operation, download its template, fill it in, upload it. The API
 * checks the header at once and answers with the operation, whose page shows the progress.
 */
export function NewBulkOperation({
  kind,
  onKindChange,
}: {
  kind: BulkOperationKind;
  onKindChange: (kind: BulkOperationKind) => void;
}) {
  const styles = useStyles();
  const navigate = useNavigate();
  const create = useBulkOperationCreateMutation();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const submit = () => {
    if (!file) {
      setFileError('Choose the CSV file to upload.');
      return;
    }
    create.mutate(
      { kind, file },
      { onSuccess: (operation) => void navigate(paths.bulkOperation(operation.id)) },
    );
  };

  return (
    <form
      className={styles.form}
      aria-label="New bulk operation"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Field label="Operation" hint={KIND_HINT[kind]}>
        <RadioGroup
          layout="horizontal"
          value={kind}
          onChange={(_e, data) => onKindChange(data.value as BulkOperationKind)}
        >
          {(Object.keys(KIND_LABEL) as BulkOperationKind[]).map((k) => (
            <Radio key={k} value={k} label={KIND_LABEL[k]} />
          ))}
        </RadioGroup>
      </Field>
      <p className={styles.step}>1. Download the CSV template and fill in one row per user.</p>
      <FluentLink href={bulkOperationPaths.template(kind)} download className={styles.download}>
        <ArrowDownload20Regular /> Download the {KIND_LABEL[kind].toLowerCase()} template
      </FluentLink>
      <p className={styles.step}>
        2. Upload the filled-in file. Every row is validated before any is applied.
      </p>
      <Field
        label="CSV file"
        required
        validationState={fileError ? 'error' : 'none'}
        validationMessage={fileError}
        hint="A .csv file with the template's header row, at most 200,000 rows."
      >
        {(fieldProps) => (
          <input
            {...fieldProps}
            type="file"
            accept=".csv,text/csv"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setFileError(null);
            }}
          />
        )}
      </Field>
      <div>
        <Button
          type="submit"
          appearance="primary"
          icon={<ArrowUpload20Regular />}
          disabled={create.isPending}
        >
          {create.isPending ? 'Uploading…' : 'Submit'}
        </Button>
      </div>
    </form>
  );
}
