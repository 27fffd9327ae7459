/**
 * What an incident page shows of its postmortem's history in git (see
 * ../knowledge-base/history.ts): its revisions, newest first, and where each commit is on the
 * web when hindsight.yml sets `repository`.
 */
import type { Revision } from '../knowledge-base/history.ts';
import type { Postmortem } from '../knowledge-base/index.ts';
import type { Site } from './data.ts';

/** The revisions of a postmortem's file, newest first; none outside a repository. */
export const revisionsOf = (s: Pick<Site, 'history'>, p: Postmortem): readonly Revision[] => s.history.get(p.file) ?? [];

/**
 * The address of a commit on the repository's web pages: `<repository>/commit/<id>`, as GitHub,
 * GitLab and Gitea have it. A trailing `/` or `.git` of the setting is dropped.
 */
export function commitLink(repository: string, commit: string): string {
  return `${repository.replace(/\/+$/, '').replace(/\.git$/, '')}/commit/${encodeURIComponent(commit)}`;
}
