/** IANA time zone names, checked against the zone database that ships with Node's ICU. */
import { IANAZone } from 'luxon';

export function isTimeZone(name: string): boolean {
  return name === 'UTC' || IANAZone.isValidZone(name);
}
