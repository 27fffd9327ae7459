/**
 * Every rule Hindsight checks, in one place. A diagnostic names its rule by id; ids are stable
 * (tools and CI filters key on them), so rename only with a deprecation. docs/rules.md is
 * generated from this table and from the failing fixture of each rule in test/fixtures/rules/.
 *
 * `draft` is the severity for postmortems with `status: draft`, which are checked leniently:
 * what is merely missing or unfinished is a warning there, what is wrong stays an error.
 */
export type Severity = 'error' | 'warning';

export interface Rule {
  severity: Severity;
  draft?: Severity;
  /** What the rule checks, in one sentence, for docs/rules.md. */
  description: string;
}

export const RULES = {
  // Files
  'file-encoding': { severity: 'error', description: 'A content file is UTF-8 text without NUL bytes or invalid byte sequences.' },
  'file-read': { severity: 'error', description: 'A content file can be read.' },
  'id-format': { severity: 'error', description: 'A postmortem file name (its id) is lowercase letters, digits and single hyphens, ending in `.md`.' },
  'id-duplicate': { severity: 'error', description: 'Postmortem ids are unique across all subfolders, also when compared without regard to case.' },
  'causes-missing': { severity: 'error', description: 'The content folder has a `causes.yml`.' },
  'file-missing': { severity: 'error', description: 'Every file `hindsight.yml` names exists and is a file: the `logo` in the content folder, each of `components` in the project root.' },
  'logo-unsafe': { severity: 'error', description: 'An SVG `logo` holds no script (`<script>`, event attributes such as `onload`, `javascript:` addresses, embedded documents): the logo is served from the site\'s own address, where script in it would run.' },

  // Front matter block and YAML
  'frontmatter-missing': { severity: 'error', description: 'A postmortem starts with a YAML front matter block between two `---` lines.' },
  'frontmatter-unclosed': { severity: 'error', description: 'The front matter block is closed by a `---` line.' },
  'frontmatter-language': { severity: 'error', description: 'Front matter is YAML; blocks in other languages (`---js`, `---toml`, …) are refused without being run.' },
  'frontmatter-type': { severity: 'error', description: 'Front matter (and each catalogue file) is a YAML mapping of fields.' },
  'yaml-syntax': { severity: 'error', description: 'YAML is well formed.' },
  'yaml-duplicate-key': { severity: 'error', description: 'A YAML mapping names each key once.' },
  'yaml-tag': { severity: 'error', description: 'YAML values carry no explicit tags (`!!js/function`, `!custom`): content is data.' },
  'yaml-alias': { severity: 'error', description: 'YAML uses no anchors or aliases (they are how alias bombs work and no field needs them).' },
  'yaml-limits': { severity: 'error', description: 'A YAML block stays within 64 KiB and 32 levels of nesting.' },

  // Fields
  'field-unknown': { severity: 'error', description: 'Every field is one the format knows; a misspelled field does not pass silently.' },
  'field-required': { severity: 'error', draft: 'warning', description: 'Required fields are present; `authors` is required to publish (a warning before).' },
  'field-type': { severity: 'error', description: 'A field has the right type: text, list or mapping.' },
  'field-value': { severity: 'error', description: 'A field with a fixed set of values (status, severity, trigger, scope, detection) has one of them.' },
  'field-format': { severity: 'error', description: 'Dates are real calendar dates written YYYY-MM-DD, URLs are http(s), ids have the id shape, zones are IANA names.' },
  'field-length': { severity: 'error', description: 'Text and lists stay within their bounds (title ≤ 160 characters, summary ≤ 600, at least one cause, …).' },
  'cause-unknown': { severity: 'error', description: 'Every cause id is defined in `causes.yml`.' },
  'service-unknown': { severity: 'error', description: 'Every service id is defined in `services.yml`, when the knowledge base has one.' },
  'related-unknown': { severity: 'error', description: 'Every `related` id is the id of a postmortem in the knowledge base.' },
  'related-self': { severity: 'warning', description: 'A postmortem does not list itself as related.' },
  'possible-recurrence': { severity: 'warning', description: 'A postmortem not yet published whose title, summary and root cause read like an earlier published incident (the site’s “possibly related” similarity, at its threshold) shares one of its causes or names it in `related`: otherwise it may be a recurrence whose cause was missed.' },
  'date-mismatch': { severity: 'error', draft: 'warning', description: '`date` is the UTC day of the timeline’s `[start]` entry.' },
  placeholder: { severity: 'error', draft: 'warning', description: 'No `TODO` placeholder from `hindsight new` is left in front matter or body.' },

  // Sections
  'section-missing': { severity: 'error', draft: 'warning', description: 'The four required `##` sections are present: Timeline, Root cause, Blast radius, Remediation.' },
  'section-empty': { severity: 'error', draft: 'warning', description: 'A required section has content.' },
  'section-duplicate': { severity: 'error', description: 'A section heading appears once (headings are compared case-insensitively).' },
  'html-raw': { severity: 'error', description: 'The body contains no raw HTML; it would be dropped from the site, so it is refused where it is written.' },
  'link-unsafe': { severity: 'warning', description: 'Links and images point to http(s), mailto or relative addresses; others (`javascript:`, `data:`, …) are removed from the site.' },
  'link-unknown': { severity: 'warning', description: 'A link in a body to the site’s page of an incident, cause or service (`/incidents/<id>/`, `/causes/<id>/`, `/services/<id>/`) names a postmortem of the knowledge base, a cause of `causes.yml` or a service of `services.yml` (when there is one).' },

  // Internal parts and the public version (one source, two audiences)
  'internal-fence': { severity: 'error', description: 'Each `:::internal` block is closed by a line `:::`, each `:::` line closes one, and a block is named `internal` (lowercase).' },
  'internal-timestamp': { severity: 'error', description: 'An inline internal part is not inside a timeline item\'s timestamp or marker: the public version would have an item it cannot read.' },
  'internal-empties-section': { severity: 'error', draft: 'warning', description: 'A required section of a public postmortem keeps some content in its public version, where its internal parts are left out.' },
  'public-version-invalid': { severity: 'error', draft: 'warning', description: 'The public version of a public postmortem (its internal parts and internal fields left out) passes every rule the postmortem itself passes: it keeps a `[start]` and a `[resolved]` entry, remediation items, and so on.' },
  'internal-front-matter': { severity: 'error', description: 'A front-matter value holds no internal part (`:internal[…]`, `:::internal`): front matter is not Markdown, so it would be shown, and published, as written. Internal text goes in the body; a field that names people or customers goes in `internal_fields`.' },
  'internal-pointless': { severity: 'warning', description: 'An internal postmortem has no internal parts: the whole of it is internal already, so they mark nothing.' },
  'link-internal': { severity: 'error', description: 'The public text of a public postmortem does not link to the page of an internal postmortem, which the public site does not have (a `related` id of an internal postmortem is allowed: the public site leaves it out).' },
  'redaction-email': { severity: 'warning', description: 'With `--audience public`: the public text of a public postmortem holds no e-mail address.' },
  'redaction-pattern': { severity: 'warning', description: 'With `--audience public`: the public text of a public postmortem matches none of the `internal_patterns` of `hindsight.yml` (internal host names, ticket ids…).' },
  'redaction-name': { severity: 'warning', description: 'With `--audience public`: the public text of a public postmortem does not name what its internal fields name (authors, remediation owners and tickets, customers…), which the public version leaves out.' },

  // Timeline
  'timeline-item': { severity: 'error', description: 'The Timeline is a list whose items read `timestamp — text`, with `—`, `–`, `-` or `:` after the timestamp.' },
  'timeline-timestamp': { severity: 'error', description: 'A timeline timestamp is a real time: `YYYY-MM-DD HH:MM[:SS]` with an optional `UTC`, `Z` or offset, or `HH:MM` after a dated item.' },
  'timeline-order': { severity: 'error', description: 'Timeline items are in chronological order.' },
  'marker-unknown': { severity: 'error', description: 'A marker is one of `[start]`, `[detected]`, `[mitigated]`, `[resolved]`, `[comms]`.' },
  'marker-duplicate': { severity: 'error', description: '`start`, `detected`, `mitigated` and `resolved` appear at most once each.' },
  'marker-order': { severity: 'error', description: '`start` ≤ `detected` ≤ `mitigated` ≤ `resolved`.' },
  'marker-required': { severity: 'error', draft: 'warning', description: 'A published postmortem’s timeline has `[start]` and `[resolved]` (a warning before it is published).' },

  // Remediation
  'remediation-item': { severity: 'error', description: 'Remediation items are task-list items: `- [ ]` open or `- [x]` done.' },
  'remediation-detail': { severity: 'error', description: 'The trailing `(key: value, …)` of an item uses the keys owner, due, ticket, type, done, declined with valid values.' },
  'remediation-required': { severity: 'error', draft: 'warning', description: 'A published postmortem has at least one remediation item, and each has `owner` and `due` (a warning before it is published).' },
  'remediation-done': { severity: 'error', description: 'A `done:` date (the day an item was finished) is on a closed `- [x]` item, on or after the incident’s date and not after the build date.' },
  'remediation-declined': { severity: 'error', description: 'A `declined:` reason (an item decided against) is on a closed `- [x]` item.' },
  'remediation-deadline': { severity: 'warning', description: 'An item is due within the days `action_deadlines` in `hindsight.yml` gives remediation of its incident’s severity.' },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
