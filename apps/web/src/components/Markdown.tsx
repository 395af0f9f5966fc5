import { makeStyles, tokens } from '@fluentui/react-components';
import { Fragment, useMemo, type ReactNode } from 'react';
import { parseInline, parseMarkdown, type Inline } from '../lib/markdown';

const useStyles = makeStyles({
  root: {
    maxWidth: '900px',
    lineHeight: tokens.lineHeightBase400,
    '& h1': {
      fontSize: tokens.fontSizeBase500,
      fontWeight: tokens.fontWeightSemibold,
      margin: `0 0 ${tokens.spacingVerticalM}`,
    },
    '& h2': {
      fontSize: tokens.fontSizeBase400,
      fontWeight: tokens.fontWeightSemibold,
      margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalS}`,
    },
    '& h3': { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
    '& p': { margin: `${tokens.spacingVerticalS} 0` },
    '& li': { margin: `${tokens.spacingVerticalXS} 0` },
    '& code': {
      fontFamily: tokens.fontFamilyMonospace,
      fontSize: tokens.fontSizeBase200,
      backgroundColor: tokens.colorNeutralBackground3,
      padding: '1px 4px',
      borderRadius: tokens.borderRadiusSmall,
      overflowWrap: 'anywhere',
    },
    '& table': { borderCollapse: 'collapse', margin: `${tokens.spacingVerticalS} 0` },
    '& th, & td': {
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    '& a': { color: tokens.colorBrandForegroundLink },
  },
});

function renderInline(nodes: Inline[]): ReactNode {
  return nodes.map((n, i) => {
    switch (n.kind) {
      case 'text':
        return <Fragment key={i}>{n.text}</Fragment>;
      case 'code':
        return <code key={i}>{n.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(n.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(n.children)}</em>;
      case 'link':
        return (
          <a key={i} href={n.href} target="_blank" rel="noreferrer noopener">
            {renderInline(n.children)}
          </a>
        );
    }
  });
}

/** One line of inline markdown (code, bold, italic, web links) as React elements, e.g. a template's quirk. */
export function InlineMarkdown({ text }: { text: string }) {
  const nodes = useMemo(() => parseInline(text), [text]);
  return <>{renderInline(nodes)}</>;
}

/**
 * Markdown as React elements (headings, paragraphs, lists, tables, inline code, bold, italic,
 * web links): the text is never inserted as HTML. `headingOffset` moves headings down a level
 * to sit under the page's own title.
 */
export function Markdown({ source, headingOffset = 0 }: { source: string; headingOffset?: number }) {
  const styles = useStyles();
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <div className={styles.root}>
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'heading': {
            const level = Math.min(6, b.level + headingOffset);
            const Tag = `h${level}` as 'h1';
            return <Tag key={i}>{renderInline(b.text)}</Tag>;
          }
          case 'paragraph':
            return <p key={i}>{renderInline(b.text)}</p>;
          case 'list': {
            const List = b.ordered ? 'ol' : 'ul';
            return (
              <List key={i}>
                {b.items.map((item, j) => (
                  <li key={j}>{renderInline(item)}</li>
                ))}
              </List>
            );
          }
          case 'table':
            return (
              <table key={i}>
                <thead>
                  <tr>
                    {b.header.map((c, j) => (
                      <th key={j} scope="col">
                        {renderInline(c)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {b.rows.map((row, j) => (
                    <tr key={j}>
                      {row.map((c, k) => (
                        <td key={k}>{renderInline(c)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
        }
      })}
    </div>
  );
}
