/**
 * parseMarkdown gives remark-parse with remark-gfm's tree on any input, whichever parser takes
 * it (satteri, or remark's own for the shapes satteri is known to parse otherwise), positions
 * included, except where the two differ only by a convention of positions (normalised below).
 */
import fc from 'fast-check';
import type { Nodes, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { markdownToMdast } from 'satteri';
import { INTERNAL_DIRECTIVE, parseMarkdown, parseWithRemark, SATTERI_DIFFERS } from '../src/format/markdown.ts';
import { renderNodes } from '../src/format/render.ts';

const remark = unified().use(remarkParse).use(remarkGfm).freeze();

type Node = Nodes & { children?: Node[] };

/** satteri may end a text run and start another where remark keeps one text node. */
function mergeTexts<T extends Node>(node: T): T {
  if (!node.children) return node;
  const children: Node[] = [];
  for (const child of node.children.map(mergeTexts)) {
    const last = children.at(-1);
    if (last?.type === 'text' && child.type === 'text') {
      const position = last.position && child.position ? { start: last.position.start, end: child.position.end } : undefined;
      children[children.length - 1] = { type: 'text', value: last.value + child.value, position };
    } else children.push(child);
  }
  return { ...node, children };
}

/**
 * satteri's tree, with remark's conventions where only the convention differs:
 * - remark gives GFM autolink literals no position (it finds them after parsing);
 * - an end may differ by line endings and blanks (an unclosed fence in a list item);
 * - in a task item, remark starts the paragraph before the `[ ]` checkbox, and a paragraph
 *   that starts on the next line at the end of the checkbox's line (same offset).
 */
function asRemark(source: string, reference: Node | undefined, node: Node, inTask = false): Node {
  const out: Node = { ...node };
  if (reference?.position === undefined) delete out.position;
  else if (out.position) {
    const [a, b] = [reference.position.end.offset ?? 0, out.position.end.offset ?? 0].sort((x, y) => x - y);
    if (source.slice(a, b).trim() === '') out.position = { ...out.position, end: reference.position.end };
    if (inTask && out.position.start.offset === reference.position.start.offset) out.position = { ...out.position, start: reference.position.start };
  }
  const task = node.type === 'listItem' && typeof node.checked === 'boolean';
  if (node.children) out.children = node.children.map((child, i) => asRemark(source, reference?.children?.[i], child, inTask || (task && i === 0)));
  const first = out.children?.[0];
  const referenceFirst = reference?.children?.[0];
  if (task && first?.type === 'paragraph' && first.position && referenceFirst?.position) {
    out.children![0] = { ...first, position: { ...first.position, start: referenceFirst.position.start } };
  }
  return out;
}

function compare(text: string, parse: (text: string) => Root = parseMarkdown) {
  const reference = mergeTexts(remark.parse(text) as Node);
  expect(asRemark(text, reference, mergeTexts(parse(text) as Node))).toEqual(reference);
}

// Fragments around every block and inline construct and GFM's tables, task lists, footnotes
// and strikethrough, with near misses of each.
const construct = [
  '\n', '\n\n', '    ', '\t', '> ', '> -', '#', '## H', 'word', ' ', '.', ',', '(', ')', '_', '*', '**', '&amp;', '&#35;', 'é', '→', '-', '- ', '1. ', '[', ']',
  '`', '`|`', '<', '>', '\\', '\\|', '\\~', '![a](b)', '[l](http://x)', '<https://x.org>', '<a@b.c>', 'x', '---', '===', '```', '~~~', '<div>', '<!-- c -->',
  '[a]: /u', '[a]', '|', '| a | b |', '|---|---|', '--- | ---', ':-:', '-:', ':-', '~', '~~', '~~gone~~', '~x~', '[^1]', '[^1]: note', '[^', '- [ ] ', '- [x] ',
  '* [X]', '1. [ ]', '🙂', 'www.example.com', 'https://x.org/(a)', 'a@b.c', '/', '@',
];
// GFM autolink literals as postmortems hold them: addresses set off by blanks or punctuation, in
// prose, lists and tables.
const address = fc.tuple(
  fc.constantFrom(' ', '(', '\n', '- ', '| ', '|', 'See ', '/'),
  fc.constantFrom('https://status.example.com/incidents/42', 'http://x.org/a_(b)?c=d', 'www.example.com', 'WWW.EXAMPLE.COM/path', 'oncall@example.com', 'a.b+c@ops.example.org'),
  fc.constantFrom(' ', ')', '.', ', ', '\n', ' |', '|'),
).map((parts) => parts.join(''));
const prose = fc.constantFrom(' ', ', ', '. ', '\n', '\n\n', '- ', '1. ', '> ', '| ', ' |', '\n|---|\n', '**', '_', '`code`', 'word', '[l](http://x)', '<https://x.org>');

describe('parseMarkdown against remark-parse with remark-gfm', () => {
  it('gives the same tree (built from fragments of every construct)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...construct), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        compare(text);
        compare(text, parseWithRemark);
      }),
      { numRuns: 4000 },
    );
  });

  it('gives the same tree (addresses in prose)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(address, prose), { maxLength: 20 }), (parts) => compare(parts.join(''))),
      { numRuns: 2000 },
    );
  });

  it('gives the same tree (arbitrary text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (text) => compare(text)), { numRuns: 1000 });
  });

  it('gives the same tree for every shipped postmortem and fixture', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const files = (await readdir('.', { recursive: true }))
      .map(String)
      .filter((f) => /^(content|test\/fixtures)\/.*\.md$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    // Texts with internal parts are read with the directive syntax, on purpose (see below).
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (!INTERNAL_DIRECTIVE.test(text)) compare(text);
    }
  });
});

describe('internal parts (the directive syntax)', () => {
  it('change the tree only where they are: other directive-like text stays as written', () => {
    const text = 'At 10:30 UTC:internal[on *db-7*] the job :foo[x]{y} failed; see https://a.example/b:c and Note:This.\n\n::leaf\n\n:::note\nkept\n:::\n\n:::internal\nhidden\n:::\n';
    const html = renderNodes(parseMarkdown(text).children);
    expect(html).toMatchInlineSnapshot(`
      "<p>At 10:30 UTC<span class="internal">on <em>db-7</em></span> the job :foo[x]{y} failed; see <a href="https://a.example/b:c">https://a.example/b:c</a> and Note:This.</p>
      <p>::leaf</p>
      <p>:::note</p>
      <p>kept</p>
      <p>:::</p>
      <div class="internal"><p>hidden</p></div>"
    `);
  });
});

describe('shapes satteri parses otherwise, which remark takes', () => {
  const satteri = (text: string) => markdownToMdast(text, { features: { gfm: true, frontmatter: false } }) as Root;
  const examples = [
    'b*_*', '\\**word**', '**()**🙂', '| https://x.org/a|\n|---|', 'see /ops@example.com', '- [ ] \n    (a)', '- [ ] Fix\n  ===', '> ```\n   > ',
    '[^1]:[^1]: note', '[\\\n\t](2)', '``` js &nbsp;x\n```', '- <!-- c -->\n- ', '[a]: /u\\\n:-',
  ];

  it('each shape has an example on which satteri differs and parseMarkdown does not', () => {
    for (const { needs, shape, why } of SATTERI_DIFFERS) {
      const example = examples.find((text) => (needs === undefined || text.includes(needs)) && shape.test(text));
      expect(example, why).toBeDefined();
      expect(() => compare(example!, satteri), why).toThrow();
      compare(example!);
    }
  });

  it('shows how they differ', () => {
    expect(examples.map((text) => [text, summary(remark.parse(text)), summary(satteri(text))].join('\n  remark:  ').replace(/\n  remark: {2}([^\n]*)$/, '\n  satteri: $1'))).toMatchInlineSnapshot(`
      [
        "b*_*
        remark:  paragraph(text"b*_*")
        satteri: paragraph(text"b" emphasis(text"_"))",
        "\\**word**
        remark:  paragraph(text"*" emphasis(text"word") text"*")
        satteri: paragraph(text"**word**")",
        "**()**🙂
        remark:  paragraph(text"**()**🙂")
        satteri: paragraph(strong(text"()") text"🙂")",
        "| https://x.org/a|
      |---|
        remark:  table(tableRow(tableCell(link(text"https://x.org/a"))))
        satteri: table(tableRow(tableCell(link(text"https://x.org/a|"))))",
        "see /ops@example.com
        remark:  paragraph(text"see /" link(text"ops@example.com"))
        satteri: paragraph(text"see /ops@example.com")",
        "- [ ] 
          (a)
        remark:  list(listItem(paragraph(text"(a)")))
        satteri: list(listItem(paragraph(text"    (a)")))",
        "- [ ] Fix
        ===
        remark:  list(listItem(heading(text"[ ] Fix")))
        satteri: list(listItem(heading(text"Fix")))",
        "> \`\`\`
         > 
        remark:  blockquote(codenull)
        satteri: blockquote(codenull)",
        "[^1]:[^1]: note
        remark:  footnoteDefinition(footnoteDefinition(paragraph(text"note")))
        satteri: footnoteDefinition() footnoteDefinition(paragraph(text"note"))",
        "[\\
      	](2)
        remark:  paragraph(link(break()))
        satteri: paragraph(link(text"\\\\"))",
        "\`\`\` js &nbsp;x
      \`\`\`
        remark:  code" x"
        satteri: code"x"",
        "- <!-- c -->
      - 
        remark:  list(listItem(html"<!-- c -->") listItem())
        satteri: list(listItem(html"<!-- c -->\\n") listItem())",
        "[a]: /u\\
      :-
        remark:  table(tableRow(tableCell(text"[a]: /u\\\\")))
        satteri: definition() paragraph(text":-")",
      ]
    `);
  });
});

function summary(node: Node | Root): string {
  if (node.type === 'text' || node.type === 'html') return `${node.type}${JSON.stringify(node.value)}`;
  if (node.type === 'code') return `code${JSON.stringify(node.meta)}`;
  const children = (node as Node).children?.map(summary).join(' ');
  return node.type === 'root' ? (children ?? '') : `${node.type}(${children ?? ''})`;
}
