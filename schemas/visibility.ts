/**
 * Who a postmortem is for (see docs/format.md, "One source, two audiences"): its visibility,
 * and the fields whose values its public version leaves out because they name people or
 * customers. Shared by the front matter and hindsight.yml.
 */
import { z } from 'zod';

export const VISIBILITIES = ['internal', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** The audiences a site is built for: `internal` shows everything, internal parts marked; `public` leaves them out. */
export const AUDIENCES = VISIBILITIES;
export type Audience = Visibility;

/** Fields a public version can leave out: front matter fields and remediation items' `owner` and `ticket`. */
export const INTERNAL_FIELDS = ['authors', 'organization', 'tags', 'sources', 'blast_radius.customers', 'blast_radius.regions', 'remediation.owner', 'remediation.ticket'] as const;
export type InternalField = (typeof INTERNAL_FIELDS)[number];

/** What names people and customers: left out of every public version unless hindsight.yml says otherwise. */
export const DEFAULT_INTERNAL_FIELDS: readonly InternalField[] = ['authors', 'blast_radius.customers', 'remediation.owner', 'remediation.ticket'];

export const visibility = () => z.enum(VISIBILITIES);

export const internalFields = () =>
  z
    .array(z.enum(INTERNAL_FIELDS))
    .refine((fields) => new Set(fields).size === fields.length, { error: 'a list without repeated fields' });
