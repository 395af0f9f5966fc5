import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ModifiedProperty } from '@provisio/contracts';

const useStyles = makeStyles({
  // SCIM extension attribute names are one long word.
  name: { wordBreak: 'break-all' },
  value: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-word' },
  empty: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
});

/** Modified Properties: each attribute sent to the target, old value → new value. */
export function ModifiedPropertiesTab({ properties }: { properties: ModifiedProperty[] }) {
  const styles = useStyles();
  if (properties.length === 0) return <Text>No properties were modified by this event.</Text>;
  const show = (value: string | null) =>
    value === null || value === '' ? (
      <span className={styles.empty}>(empty)</span>
    ) : (
      <span className={styles.value}>{value}</span>
    );
  return (
    <Table aria-label="Modified properties" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Property</TableHeaderCell>
          <TableHeaderCell>Old value</TableHeaderCell>
          <TableHeaderCell>New value</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {properties.map((p) => (
          <TableRow key={p.displayName}>
            <TableCell className={styles.name}>{p.displayName}</TableCell>
            <TableCell>{show(p.oldValue)}</TableCell>
            <TableCell>{show(p.newValue)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
