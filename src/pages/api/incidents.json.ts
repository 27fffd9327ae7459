/** `/api/incidents.json`: every published postmortem's facts and figures, as FORMAT.md defines. */
import { incidentRecords } from '../../exports.ts';
import { site } from '../../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(`${JSON.stringify(incidentRecords(s.incidents, s.today), null, 2)}\n`, { headers: { 'content-type': 'application/json' } });
}
