/**
 * Internal parts of a postmortem: what its internal review says and its public version leaves
 * out. A block is a line `:::internal`, any Markdown, a line `:::`; inline, `:internal[text]`
 * (the generic-directive syntax remark-directive reads; markdown.ts parses it). Pure: the body's
 * tree and text in, the parts, the fence problems and the public text out.
 *
 * The public text is the body with every part deleted as a person would delete it by hand: a
 * block with its fence lines (and one of the blank lines around it, when there is one on each
 * side; the blank line before it, when it stood between two items of a list), an inline part
 * with the space before it when it stood between words or before punctuation. Building the public site from that text, rather than hiding nodes of a tree,
 * makes it the same site as one built from a copy with those parts removed.
 */
import type { Nodes, Root } from 'mdast';
import type {} from 'mdast-util-directive';
import { location } from 'vfile-location';
import type { Diagnostics, Position } from './diagnostics.ts';
import { closest } from './suggest.ts';

export interface InternalPart {
  kind: 'block' | 'inline';
  /** Offsets in the body: the part from its opening to the end of its closing fence or bracket. */
  start: number;
  end: number;
  /** Offsets of what it holds, without the fences or `:internal[`…`]`. */
  contentStart: number;
  contentEnd: number;
  at: Position;
}

/** A change of the body: `[start, end)` replaced by `insert`. */
export interface Edit {
  start: number;
  end: number;
  insert: string;
}

// A fence line, after any block-quote or list-item markers: colons, then a name or nothing.
const FENCE = /^((?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*)(:{3,})[ \t]*([^\s{[]*)/;

/** The internal parts of a body (outermost only), with every unclosed, stray or misspelt fence reported. */
export function findInternalParts(tree: Root, body: string, diagnostics: Diagnostics): InternalPart[] {
  const parts: InternalPart[] = [];
  const code: [number, number][] = [];
  const walk = (node: Nodes): void => {
    if ((node.type === 'containerDirective' || node.type === 'textDirective') && node.name === 'internal' && node.position) {
      const { start, end } = node.position;
      const first = node.children[0]?.position?.start.offset;
      const last = node.children[node.children.length - 1]?.position?.end.offset;
      parts.push({
        kind: node.type === 'containerDirective' ? 'block' : 'inline',
        start: start.offset!,
        end: end.offset!,
        contentStart: first ?? end.offset!,
        contentEnd: last ?? end.offset!,
        at: { line: start.line, column: start.column },
      });
      return;
    }
    if ((node.type === 'code' || node.type === 'inlineCode') && node.position) code.push([node.position.start.offset!, node.position.end.offset!]);
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  if (!body.includes(':::')) return parts;

  // Fence lines: each `:::internal` opens a block, each bare `:::` closes one.
  const place = location(body);
  const blocks = parts.filter((p) => p.kind === 'block');
  const closings = new Set<number>();
  for (const block of blocks) {
    const lastLine = body.lastIndexOf('\n', block.end - 1) + 1;
    const closed = lastLine > block.start && /^[ \t>]*:{3,}[ \t]*$/.test(body.slice(lastLine, block.end));
    if (closed) closings.add(lastLine);
    else diagnostics.report('internal-fence', block.at, 'This `:::internal` block is never closed, so it runs to the end of the text around it; end it with a line `:::`.');
  }
  let offset = 0;
  // The `:::` after a misspelt opening closes it: reported once, at the opening.
  let misspelt = false;
  for (const line of body.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const fence = FENCE.exec(line);
    if (!fence || code.some(([from, to]) => lineStart >= from && lineStart < to)) continue;
    const column = fence[1]!.length + 1;
    const at = { line: place.toPoint(lineStart)!.line, column };
    const name = fence[3]!;
    if (name === '') {
      if (misspelt) misspelt = false;
      else if (!closings.has(lineStart) && !blocks.some((b) => lineStart > b.start && lineStart < b.end)) {
        diagnostics.report('internal-fence', at, 'A `:::` line closes an internal block, but no `:::internal` line is open here; remove it, or open the block above with `:::internal`.');
      }
    } else if (name !== 'internal' && closest(name, ['internal']) !== undefined) {
      diagnostics.report('internal-fence', at, `Unknown block \`${fence[2]}${name}\`; did you mean \`:::internal\`? (names are lowercase)`);
      misspelt = true;
    }
  }
  return parts;
}

/** The edits that delete every part from the body as by hand (see the module's comment). */
export function deletions(body: string, parts: readonly InternalPart[]): Edit[] {
  return parts.map((part) => (part.kind === 'block' ? deleteBlock(body, part) : deleteInline(body, part)));
}

function deleteBlock(body: string, { start, end }: InternalPart): Edit {
  let from = body.lastIndexOf('\n', start - 1) + 1;
  let to = body.indexOf('\n', end);
  to = to === -1 ? body.length : to + 1;
  // The blank lines around it: one stays between what was before and after, as when it was never
  // written; none between two items of one list, which would otherwise become a loose list.
  const before = /(?:^|\n)([^\n]*)\n[ \t]*\n$/.exec(body.slice(0, from));
  const after = /^[ \t]*(?:\n|$)/.exec(body.slice(to));
  const next = body.slice(to, body.indexOf('\n', to) === -1 ? body.length : body.indexOf('\n', to));
  const blankBefore = () => body.slice(0, from).length - body.slice(0, from).replace(/\n[ \t]*\n$/, '\n').length;
  if (before && after && to < body.length) to += after[0].length;
  else if (before && (to >= body.length || (LIST_ITEM.test(before[1]!) && LIST_ITEM.test(next)))) from -= blankBefore();
  return { start: from, end: Math.min(to, body.length), insert: '' };
}

const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

function deleteInline(body: string, { start, end }: InternalPart): Edit {
  const previous = body[start - 1];
  const next = body[end];
  // `the db1 :internal[(db1.corp)] host` and `failed :internal[on db1].` lose the space before.
  if ((previous === ' ' || previous === '\t') && (next === undefined || /[\s.,;:!?)\]]/.test(next))) return { start: start - 1, end, insert: '' };
  // At the start of a line, the space after goes.
  if ((previous === undefined || previous === '\n') && (next === ' ' || next === '\t')) return { start, end: end + 1, insert: '' };
  return { start, end, insert: '' };
}

/** The text with the edits made, and a map from its offsets back to the original's. */
export function applyEdits(text: string, edits: readonly Edit[]): { text: string; toOriginal: (offset: number) => number } {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const kept: Edit[] = [];
  for (let edit of sorted) {
    // Two blocks side by side may both take the blank line between them.
    if (edit.start < at) {
      if (edit.end <= at) continue;
      edit = { ...edit, start: at };
    }
    out += text.slice(at, edit.start) + edit.insert;
    at = edit.end;
    kept.push(edit);
  }
  out += text.slice(at);
  const toOriginal = (offset: number): number => {
    let delta = 0;
    for (const edit of kept) {
      const start = edit.start - delta;
      if (offset < start) break;
      if (offset < start + edit.insert.length) return edit.start;
      delta += edit.end - edit.start - edit.insert.length;
    }
    return offset + delta;
  };
  return { text: out, toOriginal };
}

/** Whether the line of `at` lies within one of the blocks (for timeline entries and remediation items written inside one). */
export const inBlock = (parts: readonly InternalPart[], offset: number) => parts.some((p) => p.kind === 'block' && offset >= p.start && offset < p.end);
