/**
 * Links in a body to the site's page of one incident, cause or service: root-relative addresses
 * such as `/incidents/<id>/`, `/causes/<id>/#history` or `/services/<id>/`. The parser collects
 * them with their positions; whether each page exists is a rule across files (link-unknown, in
 * ../knowledge-base/index.ts), since the ids of incidents are other files' names.
 */
import type { Position } from './diagnostics.ts';

/** The site's folders of pages with an id: `/incidents/<id>/`, `/causes/<id>/`, `/services/<id>/`. */
export type PageKind = 'incidents' | 'causes' | 'services';

export interface PageLink {
  kind: PageKind;
  /** The id as written in the address. */
  id: string;
  /** The address as written. */
  url: string;
  at: Position;
  /** Written inside an internal part: not on the public site. */
  internal?: boolean;
}

/** `/kind/id/`, with or without the last slash, and with any query or fragment; not `//host/…`. */
const PAGE = /^\/(incidents|causes|services)\/([^/?#]+)\/?(?:[?#]|$)/;

/** The page an address links to, when it is one of an incident, a cause or a service. */
export function pageOf(url: string): { kind: PageKind; id: string } | undefined {
  const match = PAGE.exec(url);
  return match ? { kind: match[1] as PageKind, id: match[2]! } : undefined;
}
