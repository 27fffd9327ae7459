/**
 * Diagnostics in the style of vfile-message: every problem is collected with its file, line,
 * column, severity, rule id and a message saying what is wrong and what is expected.
 */
import { RULES, type RuleId, type Severity } from './rules.ts';

export interface Diagnostic {
  /** Path of the file, relative to the working directory, with `/` separators. */
  file: string;
  /** 1-based line, true to the file (front matter included). */
  line: number;
  /** 1-based column. */
  column: number;
  severity: Severity;
  rule: RuleId;
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

export const START: Position = { line: 1, column: 1 };

/** Collects the diagnostics of one file. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  readonly file: string;
  /** Draft postmortems downgrade rules that have a `draft` severity. */
  lenient = false;
  /** Whether the postmortem is published: what only publishing requires is a warning before. */
  published = false;

  constructor(file: string) {
    this.file = file;
  }

  report(rule: RuleId, at: Position, message: string): void {
    const def: { severity: Severity; draft?: Severity } = RULES[rule];
    this.push(rule, at, message, this.lenient && def.draft ? def.draft : def.severity);
  }

  /** A requirement of published postmortems (authors, markers, owners): a warning until then. */
  reportForPublishing(rule: RuleId, at: Position, message: string): void {
    if (this.published) this.report(rule, at, message);
    else this.push(rule, at, message, 'warning');
  }

  private push(rule: RuleId, at: Position, message: string, severity: Severity): void {
    this.list.push({ file: this.file, line: at.line, column: at.column, severity, rule, message });
  }
}

/** Stable order: by file, then line, then column, then rule. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}

export const hasErrors = (list: readonly Diagnostic[]) => list.some((d) => d.severity === 'error');

/**
 * Quotes a value taken from a content file for use inside a message: in backticks, control
 * characters spelled out, long values cut. Messages never carry raw terminal escapes.
 */
export function quote(value: unknown, max = 60): string {
  let s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `\`${s.replace(/`/g, "'")}\``;
}
