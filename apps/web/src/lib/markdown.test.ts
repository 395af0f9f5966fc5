import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown';

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, lists and tables', () => {
    const blocks = parseMarkdown(
      '# Title\n\n## Steps\n\n1. Open **Provisioning**.\n2. Enter `https://x/scim`.\n\n- one\n- two\n\nA paragraph\non two lines.\n\n| Source | Target |\n| --- | --- |\n| `[mail]` | `a\\|b` |\n',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'heading', 'list', 'list', 'paragraph', 'table']);
    expect(blocks[2]).toMatchObject({ kind: 'list', ordered: true });
    expect(blocks[3]).toMatchObject({
      kind: 'list',
      ordered: false,
      items: [[{ text: 'one' }], [{ text: 'two' }]],
    });
    expect(blocks[4]).toEqual({
      kind: 'paragraph',
      text: [{ kind: 'text', text: 'A paragraph on two lines.' }],
    });
    expect(blocks[5]).toMatchObject({
      kind: 'table',
      header: [[{ text: 'Source' }], [{ text: 'Target' }]],
      rows: [[[{ kind: 'code', text: '[mail]' }], [{ kind: 'code', text: 'a|b' }]]],
    });
  });

  it('keeps web links only: any other scheme stays text', () => {
    expect(parseInline('[docs](https://example.com)')).toEqual([
      { kind: 'link', href: 'https://example.com', children: [{ kind: 'text', text: 'docs' }] },
    ]);
    expect(parseInline('[click](javascript:alert(1))')).toEqual([
      { kind: 'text', text: 'click' },
      { kind: 'text', text: ')' },
    ]);
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('reads bold, italic and code inside a line', () => {
    expect(parseInline('Set **Mode** to *Automatic* and `save`')).toEqual([
      { kind: 'text', text: 'Set ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'Mode' }] },
      { kind: 'text', text: ' to ' },
      { kind: 'em', children: [{ kind: 'text', text: 'Automatic' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'code', text: 'save' },
    ]);
  });
});
