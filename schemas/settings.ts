/** `hindsight.yml`: settings of one knowledge base. Every field is optional. */
import { z } from 'zod';
import { httpUrl, isHttpUrl, text } from './common.ts';
import { isTimeZone } from './timezone.ts';
import { DEFAULT_INTERNAL_FIELDS, internalFields, visibility } from './visibility.ts';

export const DEFAULT_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

export const timeZone = () =>
  z.string().refine(isTimeZone, { error: 'an IANA time zone name such as `America/Los_Angeles`, or `UTC`' });

/** Image formats a logo may have, by file extension. */
const IMAGE_EXTENSION = /\.(?:svg|png|jpe?g|webp)$/i;

/** A relative path written with `/` (no drive letter, no leading slash, no backslash, no control character). */
const isRelativePath = (value: string) => value !== '' && !/^[/~]|^[A-Za-z]:|[\\\u0000-\u001f]/.test(value);

/** A relative path that stays inside the folder it is relative to: no `..` segment. */
const isInsidePath = (value: string) => isRelativePath(value) && !value.split('/').includes('..');

/** A link of the header: an absolute http(s) URL, or an address of the site written from its root (`/causes/`), never `//host`. */
export const isHeaderHref = (value: string) => isHttpUrl(value) || /^\/(?![/\\])[^\s\\]*$/.test(value);

/** An `edit_url` pattern: an http(s) URL with `{path}` after its host. */
export const isEditPattern = (value: string) => /^https?:\/\/[^/{}\s]+\/.*\{path\}/i.test(value) && isHttpUrl(value.replaceAll('{path}', 'file.md'));

const componentFile = (name: string, what: string) =>
  z
    .string()
    .refine((value) => isRelativePath(value) && value.endsWith('.astro'), { error: 'the path of an `.astro` file relative to the project root, like `overrides/Header.astro`' })
    .optional()
    .describe(`An \`.astro\` file, relative to the project root (the folder hindsight runs in), that replaces ${what}; it may import the original from \`hindsight-kb/components/${name}.astro\` to wrap it.`);

/** The components a knowledge base may replace with its own `.astro` file (see src/site/customisation.ts). */
const componentsSchema = z
  .strictObject({
    Header: componentFile('Header', 'the site header (title, logo, navigation, header links)'),
    Footer: componentFile('Footer', 'the footer of every page'),
    IncidentAside: componentFile('IncidentAside', "an incident page's durations box beside its body"),
  })
  .describe('Site components replaced by files of your own: `Header`, `Footer`, `IncidentAside`.');

export type ComponentName = keyof typeof componentsSchema.shape;
export const OVERRIDABLE_COMPONENTS = Object.keys(componentsSchema.shape) as ComponentName[];

/** A pattern of `internal_patterns`: a JavaScript regular expression that compiles. */
export function isPattern(value: string): boolean {
  try {
    new RegExp(value, 'u');
    return true;
  } catch {
    return false;
  }
}

export const settingsSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(120).default('Hindsight').describe('Name of the knowledge base, shown in the site header and feeds.'),
    base_url: httpUrl().optional().describe('Public address the site is served from: absolute links in the feed and canonical links; its path (`/postmortems/` of `https://acme.github.io/postmortems/`) is the path every page is served under, unless `hindsight build --base` says another.'),
    severities: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'a severity name of letters, digits and hyphens' }))
      .min(1)
      .refine((levels) => new Set(levels).size === levels.length, { error: 'a list without repeated levels' })
      .default([...DEFAULT_SEVERITIES])
      .describe('Severity levels, worst first.'),
    timezone: timeZone().default('UTC').describe('Zone of timeline entries when a postmortem names none.'),
    action_deadlines: z
      .record(z.string(), z.int().refine((days) => days >= 1 && days <= 3650, { error: 'a whole number of days from 1 to 3650' }).describe('Days after the incident within which its remediation items are due.'))
      .optional()
      .describe('Days within which remediation is due, per severity level (`SEV1: 28`); `validate` warns about an item due later, and /actions/ and `hindsight stats` show how many items were finished within it.'),
    logo: z
      .string()
      .refine((value) => isHttpUrl(value) || (isInsidePath(value) && IMAGE_EXTENSION.test(value)), {
        error: 'an image file inside the content folder (.svg, .png, .jpg or .webp), like `logo.svg`, or an absolute http(s) URL',
      })
      .optional()
      .describe('Logo shown before the title in the site header: an image file (.svg, .png, .jpg or .webp) relative to the content folder, copied into the built site, or an absolute http(s) URL.'),
    accent: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, { error: 'a CSS colour written `#rgb` or `#rrggbb`, like `#0a58ca`' })
      .optional()
      .describe('Accent colour of links, buttons and markers, written `#rgb` or `#rrggbb`; darkened for the light scheme and lightened for the dark one as far as text contrast needs.'),
    header_links: z
      .array(
        z.strictObject({
          label: text(40).describe('Text of the link.'),
          href: z
            .string()
            .refine(isHeaderHref, { error: 'an absolute http(s) URL, or an address of the site starting with `/`, like `/causes/`' })
            .describe('Where the link goes: an absolute http(s) URL, or an address of the site starting with `/`.'),
        }),
      )
      .max(8)
      .optional()
      .describe('Links shown in the site header after its navigation, at most 8.'),
    footer: text(300).optional().describe('A line of plain text shown in the footer of every page, at most 300 characters.'),
    edit_url: z
      .string()
      .refine(isEditPattern, { error: 'an http(s) URL with `{path}` where the file path goes, like `https://github.com/acme/postmortems/edit/main/{path}`' })
      .optional()
      .describe('Address of the page that edits a postmortem, with `{path}` standing for its file path relative to the project root, like `https://github.com/acme/postmortems/edit/main/{path}`; incident pages link to it as "Edit this postmortem".'),
    repository: httpUrl()
      .optional()
      .describe('Web address of the git repository the content folder is committed to, like `https://github.com/acme/postmortems`; the revisions in an incident page\'s history link to `<repository>/commit/<id>` (the address GitHub, GitLab and Gitea use).'),
    components: componentsSchema.optional(),
    visibility: visibility().default('internal').describe('Visibility of postmortems that do not say: `internal` (the default, so nothing is published by accident) or `public`.'),
    internal_fields: internalFields()
      .default([...DEFAULT_INTERNAL_FIELDS])
      .describe('Fields every public version leaves out, because they name people or customers (default: authors, blast_radius.customers, remediation.owner, remediation.ticket); `[]` publishes them all.'),
    internal_patterns: z
      .array(z.string().min(1).refine(isPattern, { error: 'a regular expression (JavaScript syntax), like `\\.corp\\.example\\.com\\b` or `OPS-\\d+`' }))
      .max(50)
      .optional()
      .describe('Regular expressions for what must never appear in public text, like internal host names (`\\.corp\\.example\\.com\\b`) or ticket ids (`OPS-\\d+`); `validate --audience public` warns where a public postmortem\'s public text matches one.'),
  })
  .superRefine((settings, context) => {
    for (const level of Object.keys(settings.action_deadlines ?? {})) {
      if (!settings.severities.includes(level)) {
        context.addIssue({ code: 'custom', path: ['action_deadlines', level], message: `the key \`${level}\` to be a severity level of \`severities\` (${settings.severities.join(', ')})`, input: level });
      }
    }
  })
  .describe('Settings of a Hindsight knowledge base (hindsight.yml).');

export type Settings = z.infer<typeof settingsSchema>;
