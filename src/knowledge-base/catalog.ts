/**
 * The knowledge base's own files: settings (hindsight.yml), cause taxonomy (causes.yml) and
 * service catalogue (services.yml), parsed into the vocabulary postmortems are checked against
 * (../format/vocabulary.ts). Pure parsing; reading them is the loader's job, and so is checking
 * that the files the settings name exist (`namedFiles`).
 */
import type { z } from 'zod';
import { causesSchema } from '../../schemas/cause.ts';
import { frontMatterSchema } from '../../schemas/frontmatter.ts';
import { servicesSchema } from '../../schemas/service.ts';
import { OVERRIDABLE_COMPONENTS, settingsSchema, type Settings } from '../../schemas/settings.ts';
import { isHttpUrl } from '../../schemas/common.ts';
import { Diagnostics, type Diagnostic } from '../format/diagnostics.ts';
import { checkFields } from '../format/fields.ts';
import type { Catalog } from '../format/vocabulary.ts';
import { parseYaml, type YamlResult } from '../format/yaml.ts';

/** Parses one catalogue file's text against its schema. */
export function parseCatalogFile<S extends z.ZodType>(schema: S, text: string, file: string): { value: z.infer<S> | undefined; diagnostics: Diagnostic[]; locate: YamlResult['locate'] } {
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
  return { value, diagnostics: diagnostics.list, locate: yaml.locate };
}

/**
 * A file that hindsight.yml names (the logo, a component override), where it is named: the
 * loader checks that it exists (`file-missing`), since whether it does is not in the text.
 */
export interface NamedFile {
  /** The setting, dotted: `logo`, `components.Header`. */
  setting: string;
  /** The path as written. */
  path: string;
  /** What the path is relative to: the content folder, or the project root (the working folder). */
  from: 'content' | 'project';
  /** hindsight.yml as shown in diagnostics, and the position of the value in it. */
  file: string;
  line: number;
  column: number;
}

/** The files that valid settings name: the logo when it is not a URL, and each component override. */
export function namedFiles(settings: Settings, file: string, locate: YamlResult['locate']): NamedFile[] {
  const named: NamedFile[] = [];
  const add = (keys: string[], value: string, from: NamedFile['from']) => named.push({ setting: keys.join('.'), path: value, from, file, ...locate(keys, 'value') });
  if (settings.logo !== undefined && !isHttpUrl(settings.logo)) add(['logo'], settings.logo, 'content');
  for (const name of OVERRIDABLE_COMPONENTS) {
    const value = settings.components?.[name];
    if (value !== undefined) add(['components', name], value, 'project');
  }
  return named;
}

export interface CatalogTexts {
  settings?: { file: string; text: string };
  causes?: { file: string; text: string };
  services?: { file: string; text: string };
}

/** Builds the catalogue from the three files' texts (each may be absent), with the files the settings name. */
export function parseCatalog(texts: CatalogTexts): { catalog: Catalog; diagnostics: Diagnostic[]; files: NamedFile[] } {
  const diagnostics: Diagnostic[] = [];
  const read = <S extends z.ZodType>(schema: S, source: { file: string; text: string } | undefined) => {
    if (!source) return undefined;
    const result = parseCatalogFile(schema, source.text, source.file);
    diagnostics.push(...result.diagnostics);
    return { ...result, file: source.file };
  };
  const readSettings = read(settingsSchema, texts.settings);
  const settings = readSettings?.value ?? settingsSchema.parse({});
  const files = readSettings?.value ? namedFiles(readSettings.value, readSettings.file, readSettings.locate) : [];
  const causes = read(causesSchema, texts.causes)?.value;
  const services = read(servicesSchema, texts.services)?.value;
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
    files,
  };
}
