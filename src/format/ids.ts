/** Postmortem ids: file names without `.md`, and ids made from free text. */

/** The id of a postmortem: its file name without `.md`. */
export const idOf = (file: string) => file.replace(/^.*\//, '').replace(/\.md$/i, '');

/** An id part from free text (a title, a bad file name): ASCII letters and digits joined by single hyphens, at most 60 characters. */
export function slug(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let result = '';
  for (const word of words) {
    if (result && result.length + word.length + 1 > 60) break;
    result = result ? `${result}-${word}` : word.slice(0, 60);
  }
  return result || 'incident';
}
