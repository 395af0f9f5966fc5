import { Dropdown, Field, Input, Option } from '@fluentui/react-components';
import { DATE_RANGES, dateRangeProblem, type DateRangeKey } from '../data/log-dates';

/** The Date filter of the log pages: preset ranges or a custom interval with start and end (an End before the Start is said at the End). */
export function DateRangeFilter({
  date,
  from,
  to,
  onChange,
}: {
  date: DateRangeKey;
  from: string;
  to: string;
  /** Only what changed: the other bound, as the last render saw it, may be older than the URL. */
  onChange: (change: { date?: DateRangeKey; from?: string; to?: string }) => void;
}) {
  const problem = date === 'custom' ? dateRangeProblem(from, to) : undefined;
  return (
    <>
      <Field label="Date">
        <Dropdown
          value={DATE_RANGES.find((r) => r.key === date)?.label ?? ''}
          selectedOptions={[date]}
          onOptionSelect={(_e, d) => {
            const key = DATE_RANGES.find((r) => r.key === d.optionValue)?.key;
            if (key) onChange({ date: key });
          }}
          style={{ minWidth: 190 }}
        >
          {DATE_RANGES.map((r) => (
            <Option key={r.key} value={r.key}>
              {r.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {date === 'custom' ? (
        <>
          <Field label="Start">
            <Input type="datetime-local" value={from} onChange={(_e, d) => onChange({ from: d.value })} />
          </Field>
          <Field label="End" validationState={problem ? 'error' : 'none'} validationMessage={problem}>
            <Input type="datetime-local" value={to} onChange={(_e, d) => onChange({ to: d.value })} />
          </Field>
        </>
      ) : null}
    </>
  );
}
