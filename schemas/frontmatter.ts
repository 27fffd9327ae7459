/**
 * Postmortem front matter. The allowed severities, causes and services come from the
 * knowledge base (hindsight.yml, causes.yml, services.yml), so the schema is built per
 * knowledge base by `frontMatterSchema(vocabulary)`; the type is the same for all.
 */
import { z } from 'zod';
import { calendarDate, httpUrl, id, text } from './common.ts';
import { DEFAULT_SEVERITIES, timeZone } from './settings.ts';
import { internalFields, visibility } from './visibility.ts';

export const STATUSES = ['draft', 'review', 'published'] as const;
export const TRIGGERS = [
  'code-deploy',
  'config-change',
  'infrastructure-change',
  'traffic',
  'dependency-failure',
  'hardware-failure',
  'time-or-date',
  'expired-credential',
  'human-action',
  'attack',
  'unknown',
] as const;
export const SCOPES = ['global', 'multi-region', 'region', 'zone', 'service', 'none'] as const;
export const DETECTIONS = ['monitoring', 'customer-report', 'employee-report', 'automated-test', 'other'] as const;

/** The values a knowledge base allows where FORMAT.md says "from the configuration". */
export interface Vocabulary {
  severities: readonly string[];
  /** Cause ids of causes.yml; undefined when it could not be read (ids are then only checked for shape). */
  causeIds?: readonly string[];
  /** Service ids of services.yml; undefined when the knowledge base has no catalogue. */
  serviceIds?: readonly string[];
}

const oneOf = (values: readonly string[] | undefined, fallback: z.ZodString) =>
  values && values.length > 0 ? z.enum(values as [string, ...string[]]) : fallback;

export function frontMatterSchema(vocabulary: Vocabulary) {
  return z
    .strictObject({
      title: text(160).describe('Title of the incident, 1–160 characters.'),
      date: calendarDate().describe('UTC day the impact started (YYYY-MM-DD); must match the [start] entry of the timeline.'),
      status: z.enum(STATUSES).describe('draft (checked leniently, not published), review, or published.'),
      severity: oneOf(vocabulary.severities, z.string()).describe('Severity level from hindsight.yml, worst first.'),
      summary: text(600).describe('One paragraph of at most 600 characters, used in listings, search results and feeds.'),
      trigger: z.enum(TRIGGERS).describe('The event that set the incident off, kept apart from its causes.'),
      causes: z.array(oneOf(vocabulary.causeIds, id('cause'))).min(1).describe('Cause ids from causes.yml, at least one; recurring causes are linked on these.'),
      blast_radius: z
        .strictObject({
          scope: z.enum(SCOPES).describe('How far the impact reached; `none` records a near miss.'),
          services: z.array(oneOf(vocabulary.serviceIds, id('service'))).min(1).describe('Services whose users were affected, at least one.'),
          regions: z.array(text(80)).optional().describe('Regions affected, in the operator’s own names.'),
          customers: text(600).optional().describe('Who was affected, in words or figures.'),
        })
        .describe('Who and what the incident reached.'),
      detection: z.enum(DETECTIONS).optional().describe('How the incident was first noticed.'),
      authors: z.array(text(120)).min(1).optional().describe('Who wrote the postmortem; required once it is published.'),
      organization: text(120).optional().describe('Organization the incident belongs to, for knowledge bases that collect several.'),
      related: z.array(id('postmortem')).optional().describe('Ids of explicitly related postmortems; each must exist.'),
      tags: z.array(text(60)).optional().describe('Free-form keywords.'),
      timezone: timeZone().optional().describe('Zone of timeline entries that name none; defaults to the one in hindsight.yml.'),
      sources: z.array(httpUrl()).optional().describe('Public reports this postmortem is based on.'),
      visibility: visibility().optional().describe('Who the postmortem is for: `internal` (the internal site only) or `public` (also the public site, without its internal parts); defaults to `visibility` in hindsight.yml.'),
      internal_fields: internalFields().optional().describe('Fields the public version leaves out besides those of `internal_fields` in hindsight.yml: authors, organization, tags, sources, blast_radius.customers, blast_radius.regions, remediation.owner, remediation.ticket.'),
    })
    .describe('Front matter of a Hindsight postmortem.');
}

export type FrontMatter = z.infer<ReturnType<typeof frontMatterSchema>>;

/** The schema with the default vocabulary, for JSON Schema generation and field lookups. */
export const defaultFrontMatterSchema = frontMatterSchema({ severities: DEFAULT_SEVERITIES });

/** Field names, for "did you mean" on unknown fields. */
export const FRONT_MATTER_FIELDS = Object.keys(defaultFrontMatterSchema.shape);
