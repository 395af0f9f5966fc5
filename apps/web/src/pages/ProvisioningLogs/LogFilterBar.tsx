import { Dropdown, Field, Option, makeStyles, tokens } from '@fluentui/react-components';
import { allItems } from '../../api/collections';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { TextFilter } from '../../components/TextFilter';
import {
  ACTION_OPTIONS,
  STATUS_OPTIONS,
  TEXT_FILTERS,
  type ActionFilter,
  type ProvisioningLogFilters,
  type StatusFilter,
} from '../../data/provisioning-logs/log-filter';
import { useServicePrincipalsQuery } from '../../data/service-principals/service-principals-query';

const useStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  dropdown: { minWidth: '140px' },
  application: { minWidth: '220px' },
  identity: { width: '260px' },
  id: { width: '200px' },
});

const ALL = '__all__';

/** Application: the enterprise applications to pick from, or the id in the URL if it names none of them. */
function ApplicationFilter({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const styles = useStyles();
  const apps = useServicePrincipalsQuery('');
  const list = allItems(apps.data);
  const name = value ? (list.find((a) => a.id === value)?.displayName ?? value) : 'All';
  return (
    <Field label="Application">
      <Dropdown
        className={styles.application}
        value={name}
        selectedOptions={[value || ALL]}
        placeholder={apps.isPending ? 'Loading applications…' : undefined}
        onOptionSelect={(_e, d) => onChange(d.optionValue && d.optionValue !== ALL ? d.optionValue : '')}
      >
        <Option value={ALL}>All</Option>
        {list.map((app) => (
          <Option key={app.id} value={app.id}>
            {app.displayName}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/**
 * Date, Status, Action and Identity, then Application, Job ID, Cycle ID, Change ID, Source System
 * and Target System, as on the Entra provisioning logs. Under an application the route names it,
 * so there is no Application filter.
 */
export function LogFilterBar({
  filters,
  onChange,
  showApplication,
}: {
  filters: ProvisioningLogFilters;
  /** Receives the filters that changed; two boxes settling at once both count. */
  onChange: (change: Partial<ProvisioningLogFilters>) => void;
  showApplication: boolean;
}) {
  const styles = useStyles();

  return (
    <div className={styles.root} role="search" aria-label="Provisioning log filters">
      <DateRangeFilter
        date={filters.date}
        from={filters.from}
        to={filters.to}
        onChange={(range) => onChange(range)}
      />
      <Field label="Status">
        <Dropdown
          className={styles.dropdown}
          value={STATUS_OPTIONS.find((o) => o.key === filters.status)?.label ?? ''}
          selectedOptions={[filters.status]}
          onOptionSelect={(_e, d) => onChange({ status: (d.optionValue ?? 'all') as StatusFilter })}
        >
          {STATUS_OPTIONS.map((o) => (
            <Option key={o.key} value={o.key}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Action">
        <Dropdown
          className={styles.dropdown}
          value={ACTION_OPTIONS.find((o) => o.key === filters.action)?.label ?? ''}
          selectedOptions={[filters.action]}
          onOptionSelect={(_e, d) => onChange({ action: (d.optionValue ?? 'all') as ActionFilter })}
        >
          {ACTION_OPTIONS.map((o) => (
            <Option key={o.key} value={o.key}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <TextFilter
        label="Identity"
        className={styles.identity}
        value={filters.identity}
        placeholder="Part of a name, or an ID or its start"
        onChange={(identity) => onChange({ identity })}
      />
      {showApplication ? (
        <ApplicationFilter
          value={filters.servicePrincipalId}
          onChange={(servicePrincipalId) => onChange({ servicePrincipalId })}
        />
      ) : null}
      {TEXT_FILTERS.map(({ key, label }) => (
        <TextFilter
          key={key}
          label={label}
          className={styles.id}
          value={filters[key]}
          placeholder={key === 'sourceSystem' || key === 'targetSystem' ? 'Exact name' : 'Exact ID'}
          onChange={(value) => onChange({ [key]: value })}
        />
      ))}
    </div>
  );
}
