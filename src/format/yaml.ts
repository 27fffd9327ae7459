/**
 * Safe, position-aware YAML for front matter and catalogue files. Pure: text in, data and
 * diagnostics out. YAML 1.2 core schema, so `2024-03-05` stays a string (a calendar date,
 * never a Date shifted by the machine's time zone); no tags, no anchors or aliases, no
 * duplicate keys, and size and nesting limits checked before the parser sees the text.
 */
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
 */
export function parseYaml(source: string, firstLine: number, diagnostics: Diagnostics): YamlResult {
  const fallback: Position = { line: firstLine, column: 1 };
  const unreadable: YamlResult = { value: undefined, locate: () => fallback };

  const limit = exceedsLimits(source);
  if (limit) {
    diagnostics.report('yaml-limits', { line: firstLine + limit.line - 1, column: 1 }, limit.message);
    return unreadable;
  }

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
