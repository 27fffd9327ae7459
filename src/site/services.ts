/** The services the site has pages for: the catalogue's, plus any an incident names without one. */
import type { Service } from '../../schemas/service.ts';
import type { Links } from '../analysis/linking.ts';
import type { KnowledgeBase } from '../knowledge-base/index.ts';

export interface ServiceEntry {
  id: string;
  service?: Service;
  name: string;
}

export function services(s: { kb: KnowledgeBase; links: Links }): ServiceEntry[] {
  const entries = new Map<string, ServiceEntry>();
  for (const [id, service] of s.kb.catalog.services ?? []) entries.set(id, { id, service, name: service.name });
  for (const id of s.links.byService.keys()) if (!entries.has(id)) entries.set(id, { id, name: id });
  return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
}
