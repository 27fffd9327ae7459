/**
 * Hindsight's programmatic API, what `import … from 'hindsight-kb'` gives: load and check a
 * knowledge base as the CLI does, parse one postmortem against a vocabulary, and the located
 * diagnostics both report. Everything here is also what the CLI and the site use; nothing is
 * a second implementation.
 *
 * ```ts
 * import { loadKnowledgeBase, formatDiagnostics } from 'hindsight-kb';
 * const kb = await loadKnowledgeBase('content', { cwd: process.cwd() });
 * process.stdout.write(formatDiagnostics('pretty', kb.diagnostics, { files: kb.files }));
 * ```
 */

/** Every postmortem of a content folder with its data and diagnostics, the rules across files applied. */
export { checkKnowledgeBase, ContentFolderError, listPostmortems, loadCatalog, loadKnowledgeBase, type LoadOptions } from './knowledge-base/loader.ts';
export type { KnowledgeBase, ParseResult, Postmortem } from './knowledge-base/index.ts';
/** The vocabulary a postmortem is checked against, from the texts of hindsight.yml, causes.yml and services.yml. */
export { parseCatalog, type CatalogTexts } from './knowledge-base/catalog.ts';
export type { Catalog } from './format/vocabulary.ts';
/** One postmortem: text in, data and diagnostics out; pure. */
export { parsePostmortem, type ParseOptions } from './format/postmortem.ts';
/** Located problems, the rule table, and the CLI's three ways of printing them. */
export { hasErrors, type Diagnostic, type Position } from './format/diagnostics.ts';
export { RULE_IDS, RULES, type Rule, type RuleId, type Severity } from './format/rules.ts';
export { format as formatDiagnostics, FORMATS, type Format } from './cli/reporters.ts';
/** The front matter's and the catalogue files' zod schemas, and the types inferred from them. */
export { frontMatterSchema, type FrontMatter } from '../schemas/frontmatter.ts';
export { causesSchema, type Cause } from '../schemas/cause.ts';
export { servicesSchema, type Service } from '../schemas/service.ts';
export { settingsSchema, type Settings } from '../schemas/settings.ts';
