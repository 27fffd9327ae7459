/**
 * `/api/incidents.json`: every published postmortem's facts and figures, as FORMAT.md defines.
 * `/api/actions.json`: every remediation item of every published postmortem, most overdue first.
 * One route for both so an incremental build can leave them as they were (see ../../site/incremental.ts).
 */
import { actionRecords, incidentRecords } from '../../analysis/exports.ts';
import { site, siteActionRows, wanted, type Site } from '../../site/data.ts';

const RECORDS = {
  incidents: (s: Site) => incidentRecords(s.incidents, s.today, s.links),
  actions: (s: Site) => actionRecords(siteActionRows(s)),
};
type Records = keyof typeof RECORDS;

export async function getStaticPaths() {
  const s = await site();
  return (Object.keys(RECORDS) as Records[]).filter((records) => wanted(s, `/api/${records}.json`)).map((records) => ({ params: { records } }));
}

export async function GET({ params }: { params: { records: Records } }) {
  const records = RECORDS[params.records](await site());
  return new Response(`${JSON.stringify(records, null, 2)}\n`, { headers: { 'content-type': 'application/json' } });
}
