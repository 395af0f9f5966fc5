import { Field, Input, Text } from '@fluentui/react-components';
import { servicePrincipalCreateSchema, type ServicePrincipalCreate } from '@provisio/contracts';
import { useNavigate } from 'react-router';
import { FormDialog } from '../../components/FormDialog';
import { useServicePrincipalCreateMutation } from '../../data/service-principals/service-principal-create-mutation';
import { useFormDialog } from '../../hooks/use-form-dialog';
import { paths } from '../../paths';

const EMPTY = { displayName: '' };

/**
 * "Create your own application": a non-gallery application that is provisioned over
 * SCIM 2.0. Opens the new application's Provisioning page, the next step.
 */
export function NewApplicationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useServicePrincipalCreateMutation();
  const { values, set, errors, check, close } = useFormDialog(EMPTY, onClose);

  const submit = () => {
    const body: ServicePrincipalCreate = { displayName: values.displayName.trim() };
    const valid = check(
      servicePrincipalCreateSchema,
      body,
      { displayName: 'Enter the name of your application.' },
      { displayName: 'name of your application' },
    );
    if (!valid) return;
    create.mutate(body, {
      onSuccess: (created) => {
        close();
        void navigate(paths.application(created.id));
      },
    });
  };

  return (
    <FormDialog
      open={open}
      title="Create your own application"
      busy={create.isPending}
      onSubmit={submit}
      onClose={close}
    >
      <Text>
        Add an application that is not in the gallery and provision its users and groups over SCIM 2.0.
      </Text>
      <Field label="What's the name of your app?" required validationMessage={errors['displayName']}>
        <Input
          value={values.displayName}
          onChange={(_e, d) => set('displayName', d.value)}
          placeholder="Contoso HR"
        />
      </Field>
    </FormDialog>
  );
}
