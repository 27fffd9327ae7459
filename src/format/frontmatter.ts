/**
 * Splitting a postmortem into its front matter and body. Pure. gray-matter finds the block;
 * its engines are replaced so that only YAML is ever parsed, by our safe reader, and any other
 * front-matter language (gray-matter would `eval` `---js`) is refused before gray-matter runs.
 */
import matter from 'gray-matter';
import type { Diagnostics } from './diagnostics.ts';
import { quote } from './diagnostics.ts';

export interface Split {
  /** YAML source of the front matter (it starts on line 2), or undefined when there is no usable block. */
  yaml: string | undefined;
  /** The body with its front matter lines blanked, so Markdown positions are true to the file;
   * undefined when the front matter never ends, so there is no body to check. */
  body: string | undefined;
  /** Line of the file on which the body starts (at most the last line). */
  bodyLine: number;
}

const refuse = () => {
  throw new Error('front matter languages other than YAML are refused');
};
/** Engines handed to gray-matter: every language it knows, YAML included, returns the raw text or refuses. */
const ENGINES = {
  yaml: (source: string) => ({ source }),
  javascript: refuse,
  js: refuse,
  coffee: refuse,
  json: refuse,
  toml: refuse,
};

/** `text` has `\n` line endings (parsePostmortem normalizes them). */
export function splitFrontMatter(text: string, diagnostics: Diagnostics): Split {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  const none: Split = { yaml: undefined, body: text, bodyLine: 1 };

  if (!first.startsWith('---')) {
    diagnostics.report('frontmatter-missing', { line: 1, column: 1 }, 'A postmortem must start with front matter: a `---` line, the YAML fields, and a closing `---` line.');
    return none;
  }
  const close = lines.findIndex((line, i) => i > 0 && line === '---');
  const body = (end: number): Split => ({
    yaml: undefined,
    body: blankLines(lines, end + 1) + lines.slice(end + 1).join('\n'),
    bodyLine: Math.min(end + 2, lines.length),
  });
  const language = first.slice(3).trim();
  if (language !== '' && !/^-+$/.test(language)) {
    const message = /^ya?ml$/i.test(language)
      ? `The opening line must be exactly \`---\`; drop ${quote(language)}, front matter is always YAML.`
      : `Front matter language ${quote(language)} is refused; write the block as YAML after a plain \`---\` line.`;
    diagnostics.report('frontmatter-language', { line: 1, column: 4 }, message);
    return close === -1 ? { yaml: undefined, body: undefined, bodyLine: 1 } : body(close);
  }
  if (first !== '---') {
    diagnostics.report('frontmatter-missing', { line: 1, column: 1 }, 'The first line must be exactly `---` to open the front matter.');
    return none;
  }
  if (close === -1) {
    diagnostics.report('frontmatter-unclosed', { line: 1, column: 1 }, 'The front matter opened on line 1 is never closed; add a `---` line after the last field.');
    return { yaml: undefined, body: undefined, bodyLine: 1 };
  }

  // gray-matter closes the block at the first line that starts with `---`; ours must agree.
  const early = lines.findIndex((line, i) => i > 0 && i < close && line.startsWith('---'));
  if (early !== -1) {
    diagnostics.report('frontmatter-unclosed', { line: early + 1, column: 1 }, 'A line starting with `---` inside the front matter; the closing line must be exactly `---`.');
    return body(close);
  }

  // Only the block is handed over: gray-matter copies its whole input, and the body is not its concern.
  const file = matter(lines.slice(0, close + 1).join('\n'), { language: 'yaml', engines: ENGINES });
  // gray-matter's block keeps the line break that ends the opening `---`.
  const yaml = ((file.data as { source?: string }).source ?? '').replace(/^\n/, '');
  return { ...body(close), yaml };
}

/** As many empty lines as the first `count` lines of the file, so later positions keep their line. */
const blankLines = (lines: readonly string[], count: number) => '\n'.repeat(Math.min(count, lines.length));
