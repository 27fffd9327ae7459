/**
 * The knowledge base's own files: settings (hindsight.yml), cause taxonomy (causes.yml) and
 * service catalogue (services.yml), parsed into the vocabulary postmortems are checked against
 * (../format/vocabulary.ts). Pure parsing; reading them is the loader's job.
 */
import type { z } from 'zod';
import { causesSchema } from '../../schemas/cause.ts';
import { frontMatterSchema } from '../../schemas/frontmatter.ts';
import { servicesSchema } from '../../schemas/service.ts';
import { settingsSchema } from '../../schemas/settings.ts';
import { Diagnostics, type Diagnostic } from '../format/diagnostics.ts';
import { checkFields } from '../format/fields.ts';
import type { Catalog } from '../format/vocabulary.ts';
import { parseYaml } from '../format/yaml.ts';

/** A cause's title, or its id when the taxonomy does not have it. */
export function titleOfCause(catalog: Catalog, id: string): string {
  return catalog.causes?.get(id)?.title ?? id;
}

/** Parses one catalogue file's text against its schema. */
export function parseCatalogFile<S extends z.ZodType>(schema: S, text: string, file: string): { value: z.infer<S> | undefined; diagnostics: Diagnostic[] } {
  const diagnostics = new Diagnostics(file);
  const yaml = parseYaml(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), 1, diagnostics);
  let value: z.infer<S> | undefined;
  if (yaml.value !== undefined || diagnostics.list.length === 0) {
    const data = yaml.value ?? {};
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      diagnostics.report('frontmatter-type', { line: 1, column: 1 }, `${file.split('/').pop()} must be a mapping of ids to entries.`);
    } else {
      value = checkFields(schema, data, yaml, diagnostics);
    }
  }
  return { value, diagnostics: diagnostics.list };
}

export interface CatalogTexts {
  settings?: { file: string; text: string };
  causes?: { file: string; text: string };
  services?: { file: string; text: string };
}

/** Builds the catalogue from the three files' texts (each may be absent). */
export function parseCatalog(texts: CatalogTexts): { catalog: Catalog; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const read = <S extends z.ZodType>(schema: S, source: { file: string; text: string } | undefined) => {
    if (!source) return undefined;
    const result = parseCatalogFile(schema, source.text, source.file);
    diagnostics.push(...result.diagnostics);
    return result.value;
  };
  const settings = read(settingsSchema, texts.settings) ?? settingsSchema.parse({});
  const causes = read(causesSchema, texts.causes);
  const services = read(servicesSchema, texts.services);
  const causeMap = causes ? new Map(Object.entries(causes)) : undefined;
  const serviceMap = services ? new Map(Object.entries(services)) : undefined;
  return {
    catalog: {
      settings,
      causes: causeMap,
      services: serviceMap,
      frontMatter: frontMatterSchema({
        severities: settings.severities,
        ...(causeMap ? { causeIds: [...causeMap.keys()] } : {}),
        ...(serviceMap ? { serviceIds: [...serviceMap.keys()] } : {}),
      }),
    },
    diagnostics,
  };
}
