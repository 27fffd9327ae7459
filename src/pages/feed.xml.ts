/** `/feed.xml`: an Atom feed of the newest published postmortems. */
import { atomFeed } from '../analysis/exports.ts';
import { absoluteAddress, withBase } from '../site/base.ts';
import { site } from '../site/data.ts';

export async function GET() {
  const s = await site();
  // Absolute on base_url's host when it is set, else under the base.
  const href = (path: string) => absoluteAddress(s.kb.catalog.settings.base_url, s.base, path) ?? withBase(s.base, path);
  return new Response(atomFeed(s.incidents, { title: s.title, href }), { headers: { 'content-type': 'application/atom+xml' } });
}
