/** `/feed.xml`: an Atom feed of the newest published postmortems. */
import { atomFeed } from '../analysis/exports.ts';
import { site } from '../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(atomFeed(s.incidents, { title: s.title, baseUrl: s.kb.catalog.settings.base_url }), { headers: { 'content-type': 'application/atom+xml' } });
}
