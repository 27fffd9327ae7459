/**
 * The path the site is served under, its base: `/` at the root of a host, `/postmortems/` for a
 * project site such as `https://acme.github.io/postmortems/`. It is the path of hindsight.yml's
 * `base_url`, or what `hindsight build --base` says for one build. Every address the site writes
 * of itself (pages, components, the search client in the browser, the feed) is joined to it here,
 * and so are the root-relative links authors write in postmortem bodies (`/incidents/<id>/`).
 */

/** A base that is not a plain path (`https://…`, `//x`, `a/../b`, `?x`, spaces). */
export class BaseError extends Error {}

/** One path segment: unreserved characters or percent-escapes, never `.` or `..` alone. */
const SEGMENT = /^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+$/;

/**
 * A base written as a path (`postmortems`, `/postmortems`, `/docs/postmortems/`, `/`) with a
 * leading and a trailing slash; undefined when it is not a plain path.
 */
export function normalizeBase(text: string): string | undefined {
  const inner = text.replace(/^\//, '').replace(/\/$/, '');
  if (inner === '') return text === '/' ? '/' : undefined;
  const segments = inner.split('/');
  return segments.every((segment) => SEGMENT.test(segment) && !/^\.+$/.test(segment)) ? `/${segments.join('/')}/` : undefined;
}

/** The base of a build: `override` (already normalized, see normalizeBase) when given, else the path of `baseUrl`, else `/`. */
export function siteBase(baseUrl: string | undefined, override?: string): string {
  if (override !== undefined) return override;
  if (baseUrl === undefined) return '/';
  const path = new URL(baseUrl).pathname;
  const base = normalizeBase(path);
  if (base === undefined) throw new BaseError(`The path of base_url (${JSON.stringify(path)}) cannot be a base: use letters, digits, \`-\`, \`.\`, \`_\` and \`~\` between slashes, or give hindsight build --base.`);
  return base;
}

/** A root-relative address of the site (`/incidents/x/`, `/search/manifest.json`) under the base; any other address as it is. */
export function withBase(base: string, address: string): string {
  return address.startsWith('/') && !address.startsWith('//') ? `${base}${address.slice(1)}` : address;
}

/**
 * The absolute address (`https://…/postmortems/incidents/x/`) of a site address, on the host
 * of `baseUrl` and under the base; undefined when the site's address is not known.
 */
export function absoluteAddress(baseUrl: string | undefined, base: string, address: string): string | undefined {
  return baseUrl === undefined ? undefined : new URL(withBase(base, address), baseUrl).href;
}

/** An opening tag as hast-util-to-html writes it: every attribute value in double quotes, none holding `"` or `<`. */
const TAG = /<[a-zA-Z][^\s/>]*(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*\s*\/?>/g;
const ROOT_RELATIVE = /(\s(?:href|src)=")\/(?!\/)/g;

/**
 * Sanitized HTML of a postmortem (../format/render.ts) with its root-relative `href` and `src`
 * attributes (`/causes/x/`, not `//host/x`) under the base. Only tags are rewritten: text that
 * reads like an attribute (in a code span, say) is left as written, its `<` being escaped.
 */
export function rebaseHtml(html: string, base: string): string {
  if (base === '/') return html;
  return html.replace(TAG, (tag) => tag.replace(ROOT_RELATIVE, `$1${base}`));
}
