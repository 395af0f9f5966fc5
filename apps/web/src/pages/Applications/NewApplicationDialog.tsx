import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { servicePrincipalCreateSchema, type ServicePrincipalCreate } from '@provisio/contracts';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useServicePrincipalCreateMutation } from '../../data/service-principals/service-principal-create-mutation';
import { fieldErrors } from '../../lib/validation';
import { paths } from '../../paths';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/**
 * "Create your own application": a non-gallery application that is provisioned over
 * SCIM 2.0. Opens the new application's Provisioning page, the next step.
 */
export function NewApplicationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const styles = useStyles();
  const navigate = useNavigate();
  const create = useServicePrincipalCreateMutation();
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | undefined>();

  const close = () => {
    setDisplayName('');
    setError(undefined);
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: ServicePrincipalCreate = { displayName: displayName.trim() };
    const found = fieldErrors(servicePrincipalCreateSchema, body, {
      displayName: 'Enter the name of your application.',
    });
    setError(found['displayName']);
    if (Object.keys(found).length > 0) return;
    create.mutate(body, {
      onSuccess: (created) => {
        close();
        void navigate(paths.application(created.id));
      },
    });
  };

  return (
    <Dialog open={open} onOpenChange={(_e, data) => (data.open ? undefined : close())}>
      <DialogSurface>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>Create your own application</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                Add an application that is not in the gallery and provision its users and groups over SCIM
                2.0.
              </Text>
              <Field label="What's the name of your app?" required validationMessage={error}>
                <Input
                  value={displayName}
                  onChange={(_e, d) => setDisplayName(d.value)}
                  placeholder="Contoso HR"
                />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={create.isPending}>
                Create
              </Button>
              <Button onClick={close}>Cancel</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
