/**
 * The vocabulary a postmortem is checked against: the knowledge base's settings, causes and
 * services, and the front-matter schema built from them. The knowledge base reads it from its
 * own files (../knowledge-base/catalog.ts); the format only reads it.
 */
import type { Cause } from '../../schemas/cause.ts';
import type { frontMatterSchema } from '../../schemas/frontmatter.ts';
import type { Service } from '../../schemas/service.ts';
import type { Settings } from '../../schemas/settings.ts';

export interface Catalog {
  settings: Settings;
  /** Cause id → cause; undefined when causes.yml is missing or broken. */
  causes: ReadonlyMap<string, Cause> | undefined;
  /** Service id → service; undefined when there is no usable services.yml. */
  services: ReadonlyMap<string, Service> | undefined;
  /** The front matter schema built for this knowledge base's vocabulary. */
  frontMatter: ReturnType<typeof frontMatterSchema>;
}

/** A cause's title, or its id when the taxonomy does not have it. */
export function titleOfCause(catalog: Catalog, id: string): string {
  return catalog.causes?.get(id)?.title ?? id;
}
