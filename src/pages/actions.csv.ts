/** `/actions.csv`: every remediation item as a spreadsheet, most overdue first. */
import { actionRows } from '../action-items.ts';
import { actionRecords, actionsCsv } from '../exports.ts';
import { site } from '../site/data.ts';

export async function GET() {
  const s = await site();
  return new Response(actionsCsv(actionRecords(actionRows(s.incidents, s.today))), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
}
