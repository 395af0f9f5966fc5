import { makeStyles, tokens } from '@fluentui/react-components';

/** The shared layout of a blade: a command bar under the header, then padded content. */
export const usePageStyles = makeStyles({
  commandBar: {
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    padding: `0 ${tokens.spacingHorizontalL}`,
    flexWrap: 'wrap',
  },
  body: {
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL} ${tokens.spacingVerticalXXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    minWidth: 0,
  },
  toolbarRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  search: { width: '360px', maxWidth: '100%' },
  table: { minWidth: '640px' },
  tableScroll: { overflowX: 'auto' },
  clickableRow: { cursor: 'pointer' },
  muted: { color: tokens.colorNeutralForeground3 },
  sectionTitle: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  intro: { color: tokens.colorNeutralForeground2, maxWidth: '900px', margin: 0 },
});
