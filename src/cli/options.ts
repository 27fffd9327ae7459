/**
 * Options that several commands read the same way: `--base` (build, preview), the base a site
 * is served under (build, dev, preview), `--port` (dev, preview) and `--audience` (validate,
 * build). Each bad value is a
 * UsageError, exit status 2.
 */
import { BaseError, normalizeBase, siteBase } from '../site/base.ts';
import { AUDIENCES, type Audience } from '../../schemas/visibility.ts';
import { didYouMean } from '../format/suggest.ts';
import { UsageError } from './result.ts';

/** `--base`, normalized to a leading and a trailing slash; undefined when not given. */
export function baseOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const base = normalizeBase(text);
  if (base === undefined) throw new UsageError(`--base ${JSON.stringify(text)} is not a path: give the path the site is served under, like /postmortems/ (letters, digits, \`-\`, \`.\`, \`_\` and \`~\` between slashes), or / for the root.`);
  return base;
}

/** The path a site is served under: `override` (a normalized --base), else base_url's path, else `/`. */
export function servedBase(baseUrl: string | undefined, override?: string): string {
  try {
    return siteBase(baseUrl, override);
  } catch (error) {
    if (error instanceof BaseError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--port` as a number from 0 to 65535. */
export function portOption(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${JSON.stringify(text)} is not a port number.`);
  return port;
}

/** `--audience`: who a site is built or checked for; `internal` (everything) when not given. */
export function audienceOption(text: string | undefined): Audience {
  if (text === undefined) return 'internal';
  if ((AUDIENCES as readonly string[]).includes(text)) return text as Audience;
  throw new UsageError(`--audience ${JSON.stringify(text)} is not an audience${didYouMean(text, AUDIENCES) || ''}: give internal (everything, internal parts marked) or public (the public postmortems without their internal parts).`);
}
