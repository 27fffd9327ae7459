/** The badge tone of a severity level: its rank among the configured levels (worst first). */
export function severityTone(severities: readonly string[], level: string): string {
  const rank = severities.indexOf(level);
  return rank >= 0 && rank < 4 ? `sev-${rank + 1}` : 'sev-other';
}
