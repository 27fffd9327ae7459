/**
 * Safe, position-aware YAML for front matter and catalogue files. Pure: text in, data and
 * diagnostics out. YAML 1.2 core schema, so `2024-03-05` stays a string (a calendar date,
 * never a Date shifted by the machine's time zone); no tags, no anchors or aliases, no
 * duplicate keys, and size and nesting limits checked before the parser sees the text.
 *
 * Two readers: js-yaml reads what has no problem, several times faster than `yaml`, which keeps
 * every node's place in the text; `yaml` reads the rest, reports each problem where it is, and
 * is asked for places only when a rule reports one (a test holds both to the same values).
 */
import jsYaml from 'js-yaml';
import { location } from 'vfile-location';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';

export const YAML_MAX_BYTES = 64 * 1024;
export const YAML_MAX_DEPTH = 32;
const MAX_SYNTAX_ERRORS = 5;

export interface YamlResult {
  /** The parsed value; undefined when the YAML could not be read safely. */
  value: unknown;
  /** Position of the key (or, with `of: 'value'`, the value) at `path`; the nearest known place otherwise. */
  locate(path: readonly PropertyKey[], of?: 'key' | 'value'): Position;
}

/**
 * @param firstLine line of the file on which `source` starts, so positions are true to the file.
 * @param quick whether js-yaml may read it (see above); false has `yaml` read everything, which
 * the tests compare it with.
 */
export function parseYaml(source: string, firstLine: number, diagnostics: Diagnostics, { quick = true } = {}): YamlResult {
  const fallback: Position = { line: firstLine, column: 1 };
  const unreadable: YamlResult = { value: undefined, locate: () => fallback };

  const limit = exceedsLimits(source);
  if (limit) {
    diagnostics.report('yaml-limits', { line: firstLine + limit.line - 1, column: 1 }, limit.message);
    return unreadable;
  }

  const read = quick ? quickRead(source) : undefined;
  if (read) {
    let located: ((path: readonly PropertyKey[], of?: 'key' | 'value') => Position) | undefined;
    return {
      value: read.value,
      locate(path, of) {
        if (!located) {
          const { doc, at } = compose(source, firstLine);
          located = (path, of) => locate(doc, path, of, at, fallback);
        }
        return located(path, of);
      },
    };
  }

  const { doc, at } = compose(source, firstLine);

  let readable = doc.errors.length === 0;
  const duplicates = doc.errors.some((error) => error.code === 'DUPLICATE_KEY') ? duplicateKeys(doc) : new Map<number, DuplicateKey>();
  for (const error of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    const where = at(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY') {
      const duplicate = duplicates.get(error.pos[0]);
      const message = duplicate
        ? `Key ${quote(duplicate.key)} is given twice in the same mapping (first on line ${at(duplicate.first).line}); keep one of them.`
        : 'This key is given twice in the same mapping; keep one of them.';
      diagnostics.report('yaml-duplicate-key', where, message);
    } else {
      diagnostics.report('yaml-syntax', where, `YAML syntax error: ${error.message.split('\n')[0]}.`.replace(/\.\.$/, '.'));
    }
  }

  // Tags and anchors sit before their value; point at them, not at the value.
  const before = (start: number, token: string) => {
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    let index = source.lastIndexOf(token, start);
    while (index > lineStart && source[index - 1] === token[0]) index--; // `!!tag` starts at the first `!`
    return at(index >= lineStart ? index : start);
  };
  const reported = { 'yaml-alias': 0, 'yaml-tag': 0 };
  const report = (rule: keyof typeof reported, where: Position, message: string) => {
    // A few are enough to act on; an alias bomb would otherwise print thousands.
    if (reported[rule]++ < 3) diagnostics.report(rule, where, message);
  };
  visit(doc, {
    Node(_, node) {
      const start = node.range?.[0] ?? 0;
      if (isAlias(node)) {
        report('yaml-alias', at(start), `Alias ${quote('*' + node.source)} is not allowed; write the value out in full.`);
        readable = false;
        return;
      }
      if (node.anchor) {
        report('yaml-alias', before(start, `&${node.anchor}`), `Anchor ${quote('&' + node.anchor)} is not allowed; content files use plain values only.`);
      }
      if (node.tag !== undefined) {
        readable = false; // a tagged value (`!!timestamp`) would not be plain data
        report('yaml-tag', before(start, '!'), `Tag ${quote(node.tag.replace(/^tag:yaml\.org,2002:/, '!!'))} is not allowed; write a plain value (quote it to make it text).`);
      }
    },
  });

  if (!readable) return { value: undefined, locate: (path, of) => locate(doc, path, of, at, fallback) };
  // No aliases remain, so toJS cannot expand anything; maxAliasCount 0 is a second guard.
  const value = doc.toJS({ maxAliasCount: 0 });
  return { value, locate: (path, of) => locate(doc, path, of, at, fallback) };
}

/**
 * The YAML 1.2 core schema's scalars as `yaml` resolves them (its schema/core), for js-yaml; an
 * empty value is null. js-yaml keeps one type per tag, so each tag tests its forms in turn.
 */
const scalar = (tag: string, forms: [RegExp, (text: string) => unknown][]) =>
  new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => forms.some(([test]) => test.test(text ?? '')),
    construct: (text: string | null) => forms.find(([test]) => test.test(text ?? ''))![1](text ?? ''),
  });
const CORE_1_2 = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar('bool', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T']]),
    scalar('int', [
      [/^0o[0-7]+$/, (text) => parseInt(text.slice(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => parseInt(text.slice(2), 16)],
    ]),
    scalar('float', [
      [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) => (text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
    ]),
  ],
});

/**
 * The lines js-yaml may read: blank, a comment, `key: value` or `key:` with a plain key, a list
 * item `- value` with a value that starts neither a nested item nor a key of its own, and the
 * lines of a block of text (`key: |` or `key: >-`, then lines indented further). On anything
 * else (a plain value over several lines, nested dashes) the two readers can build different
 * values, so `yaml` reads it.
 */
const SIMPLE_LINE = /^ *(?:#.*|[A-Za-z_][\w-]*:(?: [^|>].*)?|- [^\s?#|>-].*)?$/;
/** A key whose value is a block of text, without an indentation indicator or kept line ends. */
const BLOCK_TEXT = /^( *)[A-Za-z_][\w-]*: [|>]-?$/;

function simpleLines(source: string): boolean {
  let block = -1; // the indentation of the key of the block of text being read, or -1
  for (const line of source.split('\n')) {
    if (line.length > 1024) return false; // long enough for a key over 1,024 characters, which `yaml` refuses
    const indent = line.length - line.trimStart().length;
    if (block !== -1 && (indent === line.length || indent > block)) continue;
    block = BLOCK_TEXT.exec(line)?.[1]?.length ?? -1;
    if (block === -1 && !SIMPLE_LINE.test(line)) return false;
  }
  return true;
}

/**
 * What js-yaml and `yaml` read differently, or only `yaml` refuses, within such lines; each may
 * as well be text (a summary with an `&`), and `yaml` reads any source that holds one.
 */
const FOR_YAML = [
  /[!&*]/, // a tag, an anchor or an alias, which the format refuses
  /[\t\r]/, // js-yaml lets some tabs pass as indentation; a lone carriage return (the format turns line ends into \n first)
  /(?:^|[:\-[{,])[ ]*(?:"(?:[^"\\\n]|\\.)*\\?|'(?:[^'\n]|'')*)$/m, // quoted text over several lines: `yaml` holds it to the indentation
  /[[{][^\]}\n]*$/m, // a list or mapping in brackets over several lines: `yaml` holds it to the indentation
  /^(?:[ ]*(?:#.*)?\n)*[ ]+[^ \n#]/, // an indented first line: its block ends where js-yaml and `yaml` disagree
  /[\]}][ \t]*:|\?(?:[ \t\n]|$)/, // a list or mapping as a key (`{[a]: x}`, `? …`): each turns it into different text
  /(?:^|[\s[{,])(?:~|[Nn]ull|NULL)?[ \t]*:(?:[\s,\]}]|$)/m, // a null key: '' in `yaml`, 'null' in js-yaml
  /[\]}"']#/, // a comment right after a list, a mapping or quoted text: `yaml` wants a space before it
];

/**
 * The value of YAML that js-yaml reads without a problem and `yaml` would read the same;
 * undefined for `yaml` to read. Exported for the tests, which count how often it reads.
 */
export function quickRead(source: string): { value: unknown } | undefined {
  if (!simpleLines(source) || FOR_YAML.some((pattern) => pattern.test(source))) return undefined;
  try {
    // An empty document (or one of comments only) is null, as `yaml` has it, not undefined.
    return { value: jsYaml.load(source, { schema: CORE_1_2 }) ?? null };
  } catch {
    return undefined;
  }
}

/** The document with every node's place, and offsets in it as positions in the file. */
function compose(source: string, firstLine: number): { doc: Document; at: (offset: number) => Position } {
  const doc = parseDocument(source, {
    schema: 'core',
    version: '1.2',
    uniqueKeys: true,
    merge: false,
    strict: true,
    prettyErrors: false,
  });
  // Offsets to lines from the text itself: yaml's LineCounter misses the line breaks inside an
  // unclosed quoted scalar, which put positions past the end of their line.
  const lines = location(source);
  const at = (offset: number): Position => {
    const point = lines.toPoint(Math.min(Math.max(offset, 0), source.length));
    return point ? { line: firstLine + point.line - 1, column: point.column } : { line: firstLine, column: 1 };
  };
  return { doc, at };
}

function locate(
  doc: Document,
  path: readonly PropertyKey[],
  of: 'key' | 'value' = 'key',
  at: (offset: number) => Position,
  fallback: Position,
): Position {
  const start = (node: unknown) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? at(range[0]) : undefined;
  };
  let node: unknown = doc.contents;
  let best = start(node) ?? fallback;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return best;
      best = start(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      best = start(node) ?? best;
    } else {
      return best;
    }
  }
  return of === 'value' ? (start(node) ?? best) : best;
}

/**
 * Size and nesting checked on the raw text, so hostile input never reaches the parser's
 * recursion. Nesting counts indentation levels plus open flow brackets outside quotes.
 */
function exceedsLimits(source: string): { line: number; message: string } | undefined {
  const bytes = source.length > YAML_MAX_BYTES ? source.length : new TextEncoder().encode(source).length;
  if (bytes > YAML_MAX_BYTES) {
    return { line: 1, message: `This YAML block is ${Math.ceil(bytes / 1024)} KiB; the limit is ${YAML_MAX_BYTES / 1024} KiB.` };
  }
  const indents: number[] = [];
  let flow = 0;
  const lines = source.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n]!;
    const trimmed = text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (flow === 0) {
      const indent = text.length - trimmed.length;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let quoteChar = '';
    for (const c of trimmed) {
      if (quoteChar) {
        if (c === quoteChar) quoteChar = '';
      } else if (c === '"' || c === "'") quoteChar = c;
      else if (c === '#' ) break;
      else if (c === '[' || c === '{') flow++;
      else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
      if (indents.length + flow > YAML_MAX_DEPTH) {
        return { line: n + 1, message: `YAML nested more than ${YAML_MAX_DEPTH} levels deep; front matter and catalogues need only a few.` };
      }
    }
    if (indents.length > YAML_MAX_DEPTH) {
      return { line: n + 1, message: `YAML nested more than ${YAML_MAX_DEPTH} levels deep; front matter and catalogues need only a few.` };
    }
  }
  return undefined;
}

interface DuplicateKey {
  key: string;
  /** Offset of the key's first occurrence. */
  first: number;
}

/** Repeated scalar keys by the offset of the repeat, with where each was first given. */
function duplicateKeys(doc: Document): Map<number, DuplicateKey> {
  const found = new Map<number, DuplicateKey>();
  visit(doc, {
    Map(_, map) {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const first = seen.get(pair.key.value);
        if (first === undefined) seen.set(pair.key.value, pair.key.range[0]);
        else found.set(pair.key.range[0], { key: String(pair.key.value), first });
      }
    },
  });
  return found;
}
