/**
 * `/incidents.csv`: the figures of /api/incidents.json as a spreadsheet.
 * `/actions.csv`: every remediation item as a spreadsheet, most overdue first.
 * One route for both so an incremental build can leave them as they were (see ../site/incremental.ts).
 */
import { actionRecords, actionsCsv, incidentRecords, incidentsCsv } from '../analysis/exports.ts';
import { site, siteActionRows, wanted, type Site } from '../site/data.ts';

const SHEETS = {
  incidents: (s: Site) => incidentsCsv(incidentRecords(s.incidents, s.today, s.links)),
  actions: (s: Site) => actionsCsv(actionRecords(siteActionRows(s))),
};
type Sheet = keyof typeof SHEETS;

export async function getStaticPaths() {
  const s = await site();
  return (Object.keys(SHEETS) as Sheet[]).filter((sheet) => wanted(s, `/${sheet}.csv`)).map((records) => ({ params: { records } }));
}

export async function GET({ params }: { params: { records: Sheet } }) {
  return new Response(SHEETS[params.records](await site()), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
}
