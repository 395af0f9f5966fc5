import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    margin: 0,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  mark: {
    backgroundColor: tokens.colorPaletteRedBackground2,
    color: tokens.colorPaletteRedForeground2,
    textDecorationLine: 'underline',
    textDecorationStyle: 'wavy',
    textDecorationColor: tokens.colorPaletteRedBorder2,
    fontWeight: tokens.fontWeightSemibold,
  },
});

export interface ExpressionErrorPosition {
  start?: number | undefined;
  end?: number | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/** Where an error is, in words: "line 1, column 7". */
export function describePosition(error: ExpressionErrorPosition): string | null {
  if (error.line === undefined || error.column === undefined) return null;
  return `line ${error.line}, column ${error.column}`;
}

/**
 * An expression with the range of its error highlighted. An empty range (a missing
 * parenthesis at the end) highlights the place where something is missing.
 */
export function ExpressionText({ text, error }: { text: string; error: ExpressionErrorPosition }) {
  const styles = useStyles();
  const start = Math.max(0, Math.min(error.start ?? 0, text.length));
  const end = Math.max(start, Math.min(error.end ?? start, text.length));
  const marked = end > start ? text.slice(start, end) : text.slice(start, start + 1) || ' ';
  const after = end > start ? text.slice(end) : text.slice(start + 1);
  const where = describePosition(error);
  return (
    <pre
      className={styles.root}
      role="group"
      aria-label={where ? `Expression with the error at ${where} highlighted` : 'Expression'}
    >
      {error.start === undefined ? (
        text
      ) : (
        <>
          {text.slice(0, start)}
          <mark className={styles.mark} title={where ? `Error at ${where}` : 'Error'}>
            {marked}
          </mark>
          {after}
        </>
      )}
    </pre>
  );
}
