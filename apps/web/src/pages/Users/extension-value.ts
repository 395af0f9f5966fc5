import {
  extensionShortName,
  type ExtensionAttributeValue,
  type ExtensionProperty,
} from '@provisio/contracts';

/** One extension attribute's text as the API takes it, or a sentence saying what is wrong with it. */
export function parseExtensionValue(
  property: ExtensionProperty,
  text: string,
): { value: ExtensionAttributeValue } | { problem: string } {
  const label = extensionShortName(property.name);
  const parts = property.isMultiValued
    ? text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [text.trim()];
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) return { value: null };
  const values: (string | number | boolean)[] = [];
  for (const part of parts) {
    switch (property.dataType) {
      case 'Integer':
        if (!/^-?\d+$/.test(part) || !Number.isSafeInteger(Number(part)))
          return { problem: `The ${label} must be a whole number, such as 42.` };
        values.push(Number(part));
        break;
      case 'Boolean':
        values.push(part === 'true');
        break;
      case 'DateTime':
        if (Number.isNaN(Date.parse(part)) || !/^\d{4}-\d{2}-\d{2}/.test(part))
          return { problem: `The ${label} must be a date and time such as 2025-01-31T09:00:00Z.` };
        values.push(new Date(part).toISOString());
        break;
      default:
        if (part.length > 256) return { problem: `The ${label} can be at most 256 characters.` };
        values.push(part);
    }
  }
  return { value: property.isMultiValued ? values : (values[0] ?? null) };
}
