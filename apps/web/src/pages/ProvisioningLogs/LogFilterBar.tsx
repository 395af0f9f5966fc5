import { Button, Dropdown, Field, Option, SearchBox, makeStyles, tokens } from '@fluentui/react-components';
import { Dismiss12Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import {
  ACTION_OPTIONS,
  STATUS_OPTIONS,
  type ActionFilter,
  type ProvisioningLogFilters,
  type StatusFilter,
} from '../../data/provisioning-logs/log-filter';
import { useDebouncedValue } from '../../hooks/use-debounced-value';

const useStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  dropdown: { minWidth: '140px' },
  identity: { width: '260px' },
});

/** Date, Status, Action and Identity, as on the Entra provisioning logs. */
export function LogFilterBar({
  filters,
  onChange,
}: {
  filters: ProvisioningLogFilters;
  onChange: (next: ProvisioningLogFilters) => void;
}) {
  const styles = useStyles();
  // Identity is typed: the URL (and the query) follow once typing pauses.
  const [identity, setIdentity] = useState(filters.identity);
  const debounced = useDebouncedValue(identity, 400);
  useEffect(() => {
    if (debounced.trim() !== filters.identity.trim()) onChange({ ...filters, identity: debounced });
    // Only a settled change of the typed text writes the URL, hence `debounced` alone.
  }, [debounced]);
  // Back/forward or "Clear filters" change the URL: show what it says.
  useEffect(() => setIdentity(filters.identity), [filters.identity]);

  return (
    <div className={styles.root} role="search" aria-label="Provisioning log filters">
      <DateRangeFilter
        date={filters.date}
        from={filters.from}
        to={filters.to}
        onChange={(range) => onChange({ ...filters, ...range })}
      />
      <Field label="Status">
        <Dropdown
          className={styles.dropdown}
          value={STATUS_OPTIONS.find((o) => o.key === filters.status)?.label ?? ''}
          selectedOptions={[filters.status]}
          onOptionSelect={(_e, d) =>
            onChange({ ...filters, status: (d.optionValue ?? 'all') as StatusFilter })
          }
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
          onOptionSelect={(_e, d) =>
            onChange({ ...filters, action: (d.optionValue ?? 'all') as ActionFilter })
          }
        >
          {ACTION_OPTIONS.map((o) => (
            <Option key={o.key} value={o.key}>
              {o.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Identity">
        <SearchBox
          className={styles.identity}
          value={identity}
          placeholder="Name or ID of a user or group"
          onChange={(_e, d) => setIdentity(d.value)}
        />
      </Field>
      {filters.cycleId ? (
        <Button
          icon={<Dismiss12Regular />}
          iconPosition="after"
          aria-label={`Remove the filter Cycle ID ${filters.cycleId}`}
          onClick={() => onChange({ ...filters, cycleId: '' })}
        >
          Cycle ID: {filters.cycleId.slice(0, 13)}
          {filters.cycleId.length > 13 ? '…' : ''}
        </Button>
      ) : null}
    </div>
  );
}
