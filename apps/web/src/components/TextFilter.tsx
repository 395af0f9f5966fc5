import { Field, SearchBox } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useDebouncedValue } from '../hooks/use-debounced-value';

/**
 * A typed filter of a log's filter bar: the URL (and the query) follow once typing pauses, and a
 * change of the URL (back/forward, Reset filters) shows in the box.
 */
export function TextFilter({
  label,
  value,
  onChange,
  placeholder,
  className,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  className?: string;
}) {
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text, 400);
  useEffect(() => {
    if (debounced.trim() !== value.trim()) onChange(debounced);
    // Only a settled change of the typed text writes the URL, hence `debounced` alone.
  }, [debounced]);
  useEffect(() => setText(value), [value]);
  return (
    <Field label={label}>
      <SearchBox
        className={className}
        value={text}
        placeholder={placeholder}
        onChange={(_e, d) => setText(d.value)}
      />
    </Field>
  );
}
