/** `/incidents.csv`: the figures of /api/incidents.json as a spreadsheet. */
import { incidentRecords, incidentsCsv } from '../exports.ts';
import { site } from '../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(incidentsCsv(incidentRecords(s.incidents, s.today)), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
}
