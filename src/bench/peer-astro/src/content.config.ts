// @ts-nocheck -- `astro:content` exists only inside an Astro build, not for the package's tsc.
// The bare Astro peer's one collection: every Markdown file under PEER_POSTMORTEMS, with a
// schema that accepts anything (no validation, unlike Hindsight).
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const base = process.env.PEER_POSTMORTEMS;
if (!base) throw new Error('Set PEER_POSTMORTEMS to the folder of postmortems to build.');

const postmortems = defineCollection({
  loader: glob({ pattern: '**/*.md', base }),
  schema: z.any(),
});

export const collections = { postmortems };
