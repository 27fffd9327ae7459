/** `/api/actions.json`: every remediation item of every published postmortem, most overdue first. */
import { actionRows } from '../../action-items.ts';
import { actionRecords } from '../../exports.ts';
import { site } from '../../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(`${JSON.stringify(actionRecords(actionRows(s.incidents, s.today)), null, 2)}\n`, { headers: { 'content-type': 'application/json' } });
}
