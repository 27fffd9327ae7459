/**
 * How hindsight.yml's customisation shows on the site: the logo, the accent colour (kept
 * readable on the site's backgrounds in both schemes), the header links, the footer text and
 * each postmortem's edit link. Worked out once per build from the settings (see data.ts); the
 * component overrides are resolved by customisation.ts, which also copies the logo into the output.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isHttpUrl } from '../../schemas/common.ts';
import type { Audience } from '../../schemas/visibility.ts';
import type { Settings } from '../../schemas/settings.ts';

export interface Look {
  /** The logo's address: the copied file's, from the site's root (`/_astro/logo.<hash>.svg`), or the absolute URL of `logo`. */
  logo?: string;
  /** A style sheet setting the accent custom property for the light and dark schemes, when `accent` is set. */
  accentCss?: string;
  /** `header_links`, as written. */
  headerLinks: readonly { label: string; href: string }[];
  /** `footer`, as written (pages escape it). */
  footer?: string;
  /** `edit_url`, the pattern of edit links (see editLink). */
  editUrl?: string;
}

/**
 * What the settings change of every page; `contentDir` is the folder the logo's path is relative
 * to. A site for the public has no edit links: they go into the internal repository.
 */
export function lookOf(settings: Settings, contentDir: string, audience: Audience = 'internal'): Look {
  return {
    ...(settings.logo !== undefined ? { logo: isHttpUrl(settings.logo) ? settings.logo : logoFile(settings, contentDir)?.address } : {}),
    ...(settings.accent !== undefined ? { accentCss: accentCss(settings.accent) } : {}),
    headerLinks: settings.header_links ?? [],
    ...(settings.footer !== undefined ? { footer: settings.footer } : {}),
    ...(settings.edit_url !== undefined && audience === 'internal' ? { editUrl: settings.edit_url } : {}),
  };
}

/**
 * The logo file of the settings, when `logo` is a path: where it is, and where it goes in the
 * output, named by a hash of its bytes (so a new logo is a new address, never a stale cached one).
 * Undefined when the file cannot be read: `file-missing` reports it, and pages show no logo
 * (only a preview gets that far).
 */
export function logoFile(settings: Settings, contentDir: string): { source: string; output: string; address: string } | undefined {
  if (settings.logo === undefined || isHttpUrl(settings.logo)) return undefined;
  const source = path.resolve(contentDir, settings.logo);
  let bytes: Buffer;
  try {
    bytes = readFileSync(source);
  } catch {
    return undefined;
  }
  const digest = createHash('sha256').update(bytes).digest('base64url').slice(0, 10);
  const output = `_astro/logo.${digest}${path.extname(source).toLowerCase()}`;
  return { source, output, address: `/${output}` };
}

/** The edit link of a postmortem: the pattern with `{path}` replaced by its file path (relative to the project root), each segment URL-encoded. */
export function editLink(pattern: string, file: string): string {
  return pattern.replaceAll('{path}', file.split('/').map(encodeURIComponent).join('/'));
}

type Rgb = [number, number, number];

/**
 * The backgrounds accent-coloured text and button labels sit on, by scheme: `--bg` and
 * `--surface` of src/styles/site.css (a test holds them to it).
 */
export const ACCENT_BACKGROUNDS = { light: ['#ffffff', '#f4f6f8'], dark: ['#0f1419', '#1a2129'] } as const;
/** WCAG AA for text is 4.5:1; a little above, so rounding in a checker never tips it. */
const CONTRAST = 4.6;

/**
 * The accent for each scheme: the colour as given when it reads at 4.5:1 on every background
 * of the scheme, else mixed with black (light) or white (dark) just enough that it does.
 */
export function accentColours(colour: string): { light: string; dark: string } {
  const rgb = parseHex(colour);
  const readable = (backgrounds: readonly string[], towards: number) => {
    for (let step = 0; step <= 100; step++) {
      const mixed = rgb.map((c) => Math.round(c + (towards - c) * (step / 100))) as Rgb;
      if (backgrounds.every((bg) => contrast(mixed, parseHex(bg)) >= CONTRAST)) return toHex(mixed);
    }
    return toHex([towards, towards, towards]);
  };
  return { light: readable(ACCENT_BACKGROUNDS.light, 0), dark: readable(ACCENT_BACKGROUNDS.dark, 255) };
}

/**
 * The style sheet of an accent: on screens only (print keeps its black), with a selector
 * stronger than site.css's `:root`, so the order of the style sheets in the page does not matter.
 */
export function accentCss(colour: string): string {
  const { light, dark } = accentColours(colour);
  return `@media screen{html:root{--accent:${light}}}@media screen and (prefers-color-scheme: dark){html:root{--accent:${dark}}}`;
}

/** WCAG 2 contrast ratio of two colours. */
export function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** `#rgb` or `#rrggbb` as channels. */
export function parseHex(colour: string): Rgb {
  const digits = colour.slice(1);
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

const toHex = (rgb: Rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
