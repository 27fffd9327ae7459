/**
 * Options that several commands read the same way: `--base` (build, preview), the base a site
 * is served under (build, dev, preview) and `--port` (dev, preview). Each bad value is a
 * UsageError, exit status 2.
 */
import { BaseError, normalizeBase, siteBase } from '../site/base.ts';
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
