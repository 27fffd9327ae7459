/**
 * Output formats of `hindsight validate`. Everything from a content file that reaches a
 * terminal or a CI log is escaped here: control characters are spelled out, and GitHub
 * workflow commands get the runner's own escaping, so no content can forge a command.
 */
import { styleText } from 'node:util';
import type { Diagnostic } from '../format/diagnostics.ts';

export const FORMATS = ['pretty', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface Summary {
  /** Number of postmortem files checked. */
  files: number;
}

/** Terminal-safe text: C0/C1 control characters (ESC included) become visible escapes. */
export const terminalSafe = (text: string) =>
  text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function formatPretty(diagnostics: readonly Diagnostic[], summary: Summary, color = false): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (color ? styleText(style, text, { validateStream: false }) : text);
  const lines: string[] = [];
  const byFile = Map.groupBy(diagnostics, (d) => d.file);
  for (const [file, list] of byFile) {
    lines.push(paint('underline', terminalSafe(file)));
    const width = Math.max(...list.map((d) => `${d.line}:${d.column}`.length));
    for (const d of list) {
      const place = `${d.line}:${d.column}`.padEnd(width);
      const severity = d.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      lines.push(`  ${paint('dim', place)}  ${severity}  ${terminalSafe(d.message)}  ${paint('dim', d.rule)}`);
    }
    lines.push('');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const checked = `${summary.files} postmortem${summary.files === 1 ? '' : 's'} checked`;
  if (diagnostics.length === 0) {
    lines.push(`${paint('green', '✓')} ${checked}, no problems.`);
  } else {
    const counts = [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`].filter(Boolean).join(' and ');
    lines.push(`${errors ? paint('red', '✖') : paint('yellow', '⚠')} ${counts} in ${byFile.size} file${byFile.size === 1 ? '' : 's'} (${checked}).`);
  }
  return `${lines.join('\n')}\n`;
}

/** FORMAT.md: one JSON array of `{file, line, column, severity, rule, message}`. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(({ file, line, column, severity, rule, message }) => ({ file, line, column, severity, rule, message }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

// The escaping of @actions/core: data escapes %, CR and LF; properties also `:` and `,`.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error`/`::warning` annotation per diagnostic. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const properties = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(`hindsight ${d.rule}`)}`].join(',');
      return `::${d.severity} ${properties}::${escapeData(d.message)}\n`;
    })
    .join('');
}

export function format(kind: Format, diagnostics: readonly Diagnostic[], summary: Summary, color = false): string {
  switch (kind) {
    case 'json':
      return formatJson(diagnostics);
    case 'github':
      return formatGithub(diagnostics);
    default:
      return formatPretty(diagnostics, summary, color);
  }
}
