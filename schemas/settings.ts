/** `hindsight.yml`: settings of one knowledge base. Every field is optional. */
import { z } from 'zod';
import { httpUrl } from './common.ts';
import { isTimeZone } from './timezone.ts';

export const DEFAULT_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

export const timeZone = () =>
  z.string().refine(isTimeZone, { error: 'an IANA time zone name such as `America/Los_Angeles`, or `UTC`' });

export const settingsSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(120).default('Hindsight').describe('Name of the knowledge base, shown in the site header and feeds.'),
    base_url: httpUrl().optional().describe('Public address the site is served from; used for absolute links in feeds.'),
    severities: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'a severity name of letters, digits and hyphens' }))
      .min(1)
      .refine((levels) => new Set(levels).size === levels.length, { error: 'a list without repeated levels' })
      .default([...DEFAULT_SEVERITIES])
      .describe('Severity levels, worst first.'),
    timezone: timeZone().default('UTC').describe('Zone of timeline entries when a postmortem names none.'),
  })
  .describe('Settings of a Hindsight knowledge base (hindsight.yml).');

export type Settings = z.infer<typeof settingsSchema>;
