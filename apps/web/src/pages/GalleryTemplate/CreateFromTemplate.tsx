import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import {
  applicationTemplateInstantiateSchema,
  type ApplicationTemplate,
  type ApplicationTemplateInstantiate,
} from '@provisio/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApplicationTemplateInstantiateMutation } from '../../data/application-templates/application-template-instantiate-mutation';
import { fieldErrors } from '../../lib/validation';
import { paths } from '../../paths';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingVerticalL,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    alignSelf: 'start',
  },
});

/** The Create panel of a template's page: the application's name, then Create opens the new application. */
export function CreateFromTemplate({ template }: { template: ApplicationTemplate }) {
  const styles = useStyles();
  const navigate = useNavigate();
  const create = useApplicationTemplateInstantiateMutation(template.id);
  const [name, setName] = useState(template.displayName);
  const [error, setError] = useState<string | undefined>();

  const submit = () => {
    const body: ApplicationTemplateInstantiate = { displayName: name.trim() };
    const problems = fieldErrors(
      applicationTemplateInstantiateSchema,
      body,
      { displayName: 'Enter a name for the application.' },
      { displayName: 'name of the application' },
    );
    setError(problems['displayName']);
    if (Object.keys(problems).length > 0) return;
    create.mutate(body, {
      onSuccess: ({ servicePrincipal }) =>
        void navigate(paths.application(servicePrincipal.id, 'provisioning')),
    });
  };

  return (
    <form
      className={styles.form}
      aria-label={`Create ${template.displayName}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field
        label="Name"
        required
        validationMessage={error}
        hint="How the application is listed in Enterprise applications."
      >
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Button appearance="primary" type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create'}
      </Button>
    </form>
  );
}
