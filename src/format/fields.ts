/**
 * Checking parsed YAML against a zod schema and turning every issue into a located diagnostic
 * that says what is wrong and what is expected. Used for front matter and for the catalogues.
 */
import type { z } from 'zod';
import { quote, type Diagnostics, type Position } from './diagnostics.ts';
import type { RuleId } from './rules.ts';
import { didYouMean } from './suggest.ts';
import type { YamlResult } from './yaml.ts';

type Path = readonly PropertyKey[];

export interface FieldOptions {
  /** Fields whose unknown values have a rule and noun of their own, by dotted path without indexes. */
  vocabularies?: Record<string, { rule: RuleId; noun: string; where: string }>;
  /** Paths to leave alone because another rule already reports them (placeholders). */
  skip?: (path: Path) => boolean;
  /** Where to report a field missing at the top level. */
  topLevel?: Position;
}

/** Validates `value`; returns the typed data when it conforms, reporting every issue otherwise. */
export function checkFields<S extends z.ZodType>(
  schema: S,
  value: unknown,
  yaml: YamlResult,
  diagnostics: Diagnostics,
  options: FieldOptions = {},
): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (options.skip?.(issue.path)) continue;
    for (const [rule, path, message] of describeIssue(schema, value, issue, options)) {
      const topLevel = path.length === 0 || (rule === 'field-required' && path.length === 1 && valueAt(value, path) === undefined);
      const at = topLevel && options.topLevel ? options.topLevel : yaml.locate(path, rule === 'field-unknown' || rule === 'field-required' ? 'key' : 'value');
      diagnostics.report(rule, at, message);
    }
  }
  return undefined;
}

function describeIssue(schema: z.ZodType, root: unknown, issue: z.core.$ZodIssue, options: FieldOptions): [RuleId, Path, string][] {
  const path = issue.path;
  const name = fieldName(path);
  const value = valueAt(root, path);
  const info = schemaAt(schema, path);
  const expected = info.values ? `one of ${info.values.map((v) => `\`${v}\``).join(', ')}` : (info.description ?? issue.message);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = Object.keys(schemaAt(schema, path).shape ?? {});
      return issue.keys.map((key): [RuleId, Path, string] => {
        const hint = didYouMean(key, known);
        return ['field-unknown', [...path, key], `Unknown field ${quote(key)}${hint || `; expected one of ${known.join(', ')}.`}`];
      });
    }
    case 'invalid_value':
    case 'invalid_type': {
      if (value === undefined || value === null) {
        const what = value === undefined ? `Missing required field \`${name}\`` : `Field \`${name}\` is empty`;
        return [['field-required', path, `${what}: ${lowerFirst(info.description ?? expected)}`]];
      }
      if (issue.code === 'invalid_value') return describeValue(path, value, issue.values, expected, options);
      return [['field-type', path, `\`${name}\` must be ${typeName(issue.expected)}, but it is ${typeOf(value)}: ${lowerFirst(info.description ?? '')}`.replace(/: $/, '.')]];
    }
    case 'too_big':
    case 'too_small': {
      const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      if (issue.origin === 'string') {
        const length = typeof value === 'string' ? value.trim().length : 0;
        if (issue.code === 'too_small' && length === 0) {
          return [['field-required', path, `Field \`${name}\` is empty: ${lowerFirst(info.description ?? 'expected text')}`]];
        }
        return [['field-length', path, `\`${name}\` is ${length} characters long; ${issue.code === 'too_big' ? 'at most' : 'at least'} ${bound} are allowed.`]];
      }
      const count = Array.isArray(value) ? value.length : 0;
      return [['field-length', path, `\`${name}\` has ${count} item${count === 1 ? '' : 's'}; ${issue.code === 'too_big' ? 'at most' : 'at least'} ${bound} ${bound === 1 ? 'is' : 'are'} needed: ${lowerFirst(info.description ?? '')}`.replace(/: $/, '.')]];
    }
    case 'invalid_key':
      return [['field-format', path, `${quote(String(path[path.length - 1]))} is not a valid key: expected ${issue.issues[0]?.message ?? 'an id'}.`]];
    case 'invalid_format':
    case 'custom':
      return [['field-format', path, `\`${name}\` is ${quote(value)}; expected ${issue.message}.`]];
    default:
      return [['field-type', path, `\`${name}\` is ${quote(value)}; expected ${expected}`]];
  }
}

/** What the schema expects at `path`, in words: its values when it is an enum, else its description. */
export function expectation(schema: z.ZodType, path: Path): string | undefined {
  const info = schemaAt(schema, path);
  return info.values ? `one of ${info.values.map((v) => `\`${v}\``).join(', ')}` : info.description && lowerFirst(info.description);
}

function describeValue(path: Path, value: unknown, values: readonly unknown[], expected: string, options: FieldOptions): [RuleId, Path, string][] {
  const vocabulary = options.vocabularies?.[dotted(path)];
  const input = String(value);
  const hint = didYouMean(input, values.map(String));
  if (vocabulary) {
    return [[vocabulary.rule, path, `Unknown ${vocabulary.noun} ${quote(input)}${hint || `; it is not defined in ${vocabulary.where}.`}`]];
  }
  return [['field-value', path, `Unknown ${lastName(path)} ${quote(input)}${hint ? `${hint} Expected ${expected}.` : `; expected ${expected}.`}`]];
}

interface SchemaInfo {
  description?: string;
  values?: readonly string[];
  shape?: Record<string, unknown>;
}

/** The description (from the outermost wrapper) and enum values of the schema at `path`. */
function schemaAt(schema: z.ZodType, path: Path): SchemaInfo {
  let node: z.ZodType | undefined = schema;
  let description: string | undefined;
  const unwrap = () => {
    description = node?.description ?? description;
    let def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    while (def.innerType) {
      node = def.innerType as z.ZodType;
      description ??= node.description;
      def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    }
    return def;
  };
  for (const segment of path) {
    const def = unwrap();
    description = undefined;
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(segment)];
    else if (def.type === 'array') node = def.element as z.ZodType;
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else return {};
    if (!node) return {};
  }
  const def = unwrap();
  return {
    ...(description ? { description } : {}),
    ...(def.type === 'enum' ? { values: Object.values(def.entries as Record<string, string>) } : {}),
    ...(def.type === 'object' ? { shape: def.shape as Record<string, unknown> } : {}),
  };
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** `blast_radius.services[1]` */
export const fieldName = (path: Path) =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i > 0 ? '.' : ''}${String(s)}`)).join('') || 'front matter';

/** `blast_radius.services` */
const dotted = (path: Path) => path.filter((s) => typeof s !== 'number').map(String).join('.');
/** `scope` for `blast_radius.scope` */
const lastName = (path: Path) => String([...path].reverse().find((s) => typeof s !== 'number') ?? 'value');

/** `Title of …` → `title of …`, but `UTC day …` stays. */
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

function typeName(type: string): string {
  return { string: 'text', array: 'a list', object: 'a mapping of fields', number: 'a number', boolean: 'true or false' }[type] ?? type;
}

export function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `\`${value}\``;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
