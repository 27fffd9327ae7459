import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCatalog } from '../../src/knowledge-base/catalog.ts';
import { FIXTURES } from './fixtures.ts';

const read = (name: string) => ({ file: name, text: readFileSync(path.join(FIXTURES, 'base', name), 'utf8') });

/** The base test catalogue, parsed. */
export const catalog = parseCatalog({ causes: read('causes.yml'), services: read('services.yml') }).catalog;

/** The valid published postmortem every case varies. */
export const validPostmortem = readFileSync(path.join(FIXTURES, 'base', 'valid.md'), 'utf8');
