/** `/search/index.json`: the lunr index and result rows, fetched by the search scripts. */
import { buildSearchData } from '../../search-index.ts';
import { site } from '../../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(JSON.stringify(buildSearchData(s.incidents, s.kb.catalog)), { headers: { 'content-type': 'application/json' } });
}
