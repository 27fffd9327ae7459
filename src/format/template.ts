/**
 * The skeleton `hindsight new` writes: every required field and section present, each part
 * the author must fill in marked `TODO`, so `hindsight validate` lists exactly what is left.
 */
import { SCOPES, TRIGGERS } from '../../schemas/frontmatter.ts';
import type { Catalog } from '../format/vocabulary.ts';

export interface TemplateInput {
  title: string;
  /** Today, `YYYY-MM-DD`. */
  date: string;
  catalog: Catalog;
}

export function postmortemTemplate({ title, date, catalog }: TemplateInput): string {
  const causes = catalog.causes ? [...catalog.causes.keys()] : [];
  const services = catalog.services ? [...catalog.services.keys()] : [];
  const list = (values: readonly string[], max = 8) =>
    values.length > max ? `${values.slice(0, max).join(', ')}, … (${values.length} in all)` : values.join(', ');
  return `---
title: ${JSON.stringify(title)}
date: ${date} # UTC day the impact started; must match the [start] entry below
status: draft # draft → review → published
severity: TODO # ${catalog.settings.severities.join(', ')} (worst first)
summary: >-
  TODO One paragraph (at most 600 characters): what happened, who was affected, how it ended.
trigger: TODO # ${TRIGGERS.join(', ')}
causes:
  - TODO # ids from causes.yml${causes.length ? `: ${list(causes)}` : ''}
blast_radius:
  scope: TODO # ${SCOPES.join(', ')}
  services:
    - TODO # ids${services.length ? ` from services.yml: ${list(services)}` : ''}
authors:
  - TODO
---

## Timeline

<!-- One item per event, in order. Times are ${catalog.settings.timezone} unless they say otherwise.
     Markers: [start] [detected] [mitigated] [resolved] once each, [comms] for every status update. -->

- ${date} 00:00 UTC — [start] TODO When impact began.
- 00:00 — [detected] TODO How the incident was noticed.
- 00:00 — [mitigated] TODO When users stopped being affected.
- 00:00 — [resolved] TODO When the incident was over.

## Root cause

TODO Why it happened: the conditions that let the trigger do harm, not only the trigger.

## Blast radius

TODO Who and what was affected, and how much.

## Remediation

- [ ] TODO An action that prevents a recurrence. (owner: TODO, due: ${date}, type: prevent)
`;
}
