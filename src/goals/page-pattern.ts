// A goal's page path with `*` wildcards → the RE2 regular expression that matches the paths it
// stands for. As Plausible does today (lib/plausible/stats/filters/utils.ex, page_regex): the
// path must match whole; `*` and `**` both stand for any run of characters, slashes included
// (`/blog*` matches /blog, /blog/a and /blog/a/b; `/**/post` matches /x/y/post); every other
// character means itself. Learned from Plausible, not copied.

/** Characters RE2 reads as syntax; escaped so a path means itself. */
const SPECIAL = /[\\^$.|?+()[\]{}]/g;

export function hasWildcard(path: string): boolean {
  return path.includes('*');
}

export function pageRegex(path: string): string {
  const parts = path.split(/\*+/).map((part) => part.replace(SPECIAL, '\\$&'));
  return `^${parts.join('.*')}$`;
}

/** Whether a path matches a goal's page pattern (for tests and the oracle's own check). */
export function pageMatches(pattern: string, path: string): boolean {
  return hasWildcard(pattern) ? new RegExp(pageRegex(pattern), 'su').test(path) : pattern === path;
}
