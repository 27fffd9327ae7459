/**
 * `npm run screenshots`: builds the shipped knowledge base and captures the README's
 * screenshots (home, an incident, search, trends, an incident's internal parts; desktop and
 * mobile) into docs/screenshots/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../cli/build.ts';
import { launch } from './chromium.ts';
import { serve } from '../site/static-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = path.join(ROOT, 'docs/screenshots');
const SHOTS = [
  { name: 'home', address: '/' },
  { name: 'incident', address: '/incidents/2014-11-19-azure-storage/' },
  { name: 'search', address: '/search/?q=leap+day' },
  { name: 'trends', address: '/trends/#by-quarter' },
  // The internal site: the flagship is public, with internal parts outlined.
  { name: 'internal', address: '/incidents/2014-11-19-azure-storage/#s-root-cause' },
  ...(process.argv.slice(2).map((spec) => {
    const [name = 'page', address = '/'] = spec.split('=');
    return { name, address };
  })),
];
const SIZES = [
  { suffix: 'desktop', viewport: { width: 1280, height: 900 }, colorScheme: 'light' as const },
  { suffix: 'mobile', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const },
];

const tmp = await mkdtemp(path.join(os.tmpdir(), 'hindsight-shots-'));
try {
  const result = await build({ cwd: ROOT, out: path.join(tmp, 'site') });
  if (result.status !== 0) throw new Error(result.stderr);
  const server = await serve(path.join(tmp, 'site'));
  const browser = await launch();
  await mkdir(OUT, { recursive: true });
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: size.viewport, colorScheme: size.colorScheme, deviceScaleFactor: 1 });
    for (const shot of SHOTS) {
      await page.goto(`${server.url}${shot.address}`);
      await page.waitForLoadState('networkidle');
      const file = path.join(OUT, `${shot.name}-${size.suffix}.png`);
      await page.screenshot({ path: file });
      console.log(path.relative(ROOT, file));
    }
    await page.close();
  }
  await browser.close();
  await server.close();
} finally {
  await rm(tmp, { recursive: true, force: true });
}
