/**
 * A small markdown reader for the gallery's setup tutorials: headings, paragraphs, bullet and
 * numbered lists, tables, and inline code, bold, italic and links. It returns a tree of plain
 * values that `Markdown` turns into React elements, so no HTML from the text is ever inserted.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: Inline[] }
  | { kind: 'paragraph'; text: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] };

/** Only web links are kept as links; anything else (javascript:, data:) stays text. */
const SAFE_HREF = /^https?:\/\//i;

/**
 * Inline markup of one line.
 *
 * @example parseInline('Set **Mode** to `Automatic`')
 * // [{ kind: 'text', text: 'Set ' }, { kind: 'strong', children: [{ kind: 'text', text: 'Mode' }] }, …]
 */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const code = /^`([^`]+)`/.exec(rest);
    const strong = /^\*\*(.+?)\*\*/.exec(rest);
    const em = /^\*([^*\s](?:[^*]*[^*\s])?)\*/.exec(rest);
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
    if (code) {
      flush();
      out.push({ kind: 'code', text: code[1]! });
      i += code[0].length;
    } else if (strong) {
      flush();
      out.push({ kind: 'strong', children: parseInline(strong[1]!) });
      i += strong[0].length;
    } else if (em) {
      flush();
      out.push({ kind: 'em', children: parseInline(em[1]!) });
      i += em[0].length;
    } else if (link) {
      flush();
      const children = parseInline(link[1]!);
      if (SAFE_HREF.test(link[2]!)) out.push({ kind: 'link', href: link[2]!, children });
      else out.push(...children);
      i += link[0].length;
    } else if (rest.startsWith('\\') && rest.length > 1) {
      plain += rest[1];
      i += 2;
    } else {
      plain += rest[0];
      i += 1;
    }
  }
  flush();
  return out;
}

/** The cells of a table row: split on pipes that are not escaped. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && inner[i + 1] === '|') {
      current += '|';
      i++;
    } else if (inner[i] === '|') {
      out.push(current.trim());
      current = '';
    } else {
      current += inner[i];
    }
  }
  out.push(current.trim());
  return out;
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d+\.\s+(.*)$/;
const HEADING = /^(#{1,3})\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** Reads markdown into blocks. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        kind: 'heading',
        level: heading[1]!.length as 1 | 2 | 3,
        text: parseInline(heading[2]!),
      });
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && TABLE_RULE.test(lines[i + 1] ?? '')) {
      const header = cells(line).map(parseInline);
      const rows: Inline[][][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim().startsWith('|'))
        rows.push(cells(lines[i++]!).map(parseInline));
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    const listKind = BULLET.test(line) ? BULLET : NUMBERED.test(line) ? NUMBERED : null;
    if (listKind) {
      const items: Inline[][] = [];
      while (i < lines.length && listKind.exec(lines[i]!))
        items.push(parseInline(listKind.exec(lines[i++]!)![1]!));
      blocks.push({ kind: 'list', ordered: listKind === NUMBERED, items });
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !HEADING.test(lines[i]!) &&
      !BULLET.test(lines[i]!) &&
      !NUMBERED.test(lines[i]!) &&
      !lines[i]!.trim().startsWith('|')
    ) {
      paragraph.push(lines[i++]!.trim());
    }
    blocks.push({ kind: 'paragraph', text: parseInline(paragraph.join(' ')) });
  }
  return blocks;
}
