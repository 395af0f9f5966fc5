import { Button, Dropdown, Field, Input, makeStyles, Option, tokens } from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { allItems } from '../../api/collections';
import { useServicePrincipalsQuery } from '../../data/service-principals/service-principals-query';
import { NO_USER_FILTERS, type UserListFilters } from '../../data/users/user-list-filter';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  field: { width: '220px', maxWidth: '100%' },
});

const ENABLED_LABELS: Record<UserListFilters['enabled'], string> = {
  all: 'All',
  enabled: 'Enabled',
  disabled: 'Disabled',
};

/**
 * The Users list's filters: department, account enabled and assigned to an application (directly
 * or through a group). The department applies as typed once typing pauses (the page debounces it).
 */
export function UserFilters({
  value,
  onChange,
}: {
  value: UserListFilters;
  onChange: (next: UserListFilters) => void;
}) {
  const styles = useStyles();
  const apps = allItems(useServicePrincipalsQuery('').data);
  const app = apps.find((a) => a.id === value.servicePrincipalId);
  const active =
    value.department !== '' || value.enabled !== NO_USER_FILTERS.enabled || value.servicePrincipalId !== '';

  return (
    <div className={styles.row} role="group" aria-label="Filters">
      <Field label="Department" className={styles.field}>
        <Input
          value={value.department}
          placeholder="Any department"
          onChange={(_e, data) => onChange({ ...value, department: data.value })}
        />
      </Field>
      <Field label="Account enabled" className={styles.field}>
        <Dropdown
          value={ENABLED_LABELS[value.enabled]}
          selectedOptions={[value.enabled]}
          onOptionSelect={(_e, data) =>
            onChange({ ...value, enabled: (data.optionValue as UserListFilters['enabled']) ?? 'all' })
          }
        >
          {Object.entries(ENABLED_LABELS).map(([key, label]) => (
            <Option key={key} value={key}>
              {label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Assigned to application" className={styles.field}>
        <Dropdown
          value={app?.displayName ?? 'Any application'}
          selectedOptions={[value.servicePrincipalId]}
          onOptionSelect={(_e, data) => onChange({ ...value, servicePrincipalId: data.optionValue ?? '' })}
        >
          <Option value="">Any application</Option>
          {apps.map((a) => (
            <Option key={a.id} value={a.id}>
              {a.displayName}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {active ? (
        <Button appearance="subtle" icon={<Dismiss20Regular />} onClick={() => onChange(NO_USER_FILTERS)}>
          Reset filters
        </Button>
      ) : null}
    </div>
  );
}
