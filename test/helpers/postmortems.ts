/** Postmortems written from a few facts and parsed for real, for tests of what is built on them. */
import { parsePostmortem, type Postmortem } from '../../src/format/postmortem.ts';
import { catalog } from './catalog.ts';

export interface Facts {
  id: string;
  /** `YYYY-MM-DD`; impact starts at `start` (default 10:00) UTC that day. */
  date: string;
  start?: string;
  causes?: string[];
  related?: string[];
  severity?: string;
  title?: string;
  summary?: string;
  rootCause?: string;
  /** Remediation items: done or not, due when, and when finished (`done:`) or why declined (`declined:`). */
  items?: { done: boolean; due: string; doneOn?: string; declined?: string }[];
  trigger?: string;
  scope?: string;
  /** Front matter lines added as they are (`timezone: Europe/Paris`). */
  extra?: string;
  /** Timeline items replacing the default start and resolved ones. */
  timeline?: string[];
}

export function makePostmortem(facts: Facts): Postmortem {
  const { id, date, start = '10:00', causes = ['global-rollout'], related, severity = 'SEV2', items = [{ done: true, due: date }] } = facts;
  const text = `---
title: ${JSON.stringify(facts.title ?? `Incident ${id}`)}
date: ${date}
status: published
severity: ${severity}
summary: ${JSON.stringify(facts.summary ?? `Something failed on ${date}.`)}
trigger: ${facts.trigger ?? 'config-change'}
causes: [${causes.join(', ')}]
blast_radius:
  scope: ${facts.scope ?? 'region'}
  services: [queue]
authors: [Test]
${related ? `related: [${related.join(', ')}]\n` : ''}${facts.extra ? `${facts.extra}\n` : ''}---

## Timeline

${(facts.timeline ?? [`${date} ${start} UTC — [start] Impact begins.`, `${date} 23:59 UTC — [resolved] Impact ends.`]).map((line) => `- ${line}`).join('\n')}

## Root cause

${facts.rootCause ?? 'A setting was wrong.'}

## Blast radius

One region.

## Remediation

${items.map((item, i) => `- [${item.done ? 'x' : ' '}] Fix number ${i + 1}. (owner: team, due: ${item.due}${item.doneOn ? `, done: ${item.doneOn}` : ''}${item.declined ? `, declined: ${item.declined}` : ''})`).join('\n')}
`;
  const result = parsePostmortem(text, `${id}.md`, catalog);
  if (!result.postmortem) throw new Error(`fixture ${id} does not parse: ${JSON.stringify(result.diagnostics, null, 1)}`);
  return result.postmortem;
}
