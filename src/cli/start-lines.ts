// What `footfall serve` prints once it listens: where to open it, where the data is, and the
// snippet to paste — each line at most ~100 columns in the usual case, so a terminal does not
// wrap the snippet or the URL mid-word (issue 12, B1). The wording names the command as the
// operator can type it here: under `npm start`, `footfall` is not on PATH but `npx footfall` is.

/** `npx footfall` when started through npm (`npm start` in a clone), else `footfall`. */
export function cliCommand(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event ? 'npx footfall' : 'footfall';
}

/** A server listening on every address is opened on this machine as localhost. */
export function browsableUrl(listening: string): string {
  return listening.replace(/^http:\/\/(0\.0\.0\.0|\[::\])(?=:)/, 'http://localhost');
}

export function startLines(input: {
  url: string;
  dataDir: string;
  /** This node's id (--node-id, or the one kept in the data directory). */
  nodeId: string;
  command: string;
  /** The first site's domain; undefined while there is none. */
  site: string | undefined;
  snippet: string;
}): string[] {
  const lines = [
    `Footfall is listening on ${browsableUrl(input.url)} (data in ${input.dataDir}, node ${input.nodeId})`,
  ];
  if (!input.site) lines.push(`add your site: ${input.command} site add example.com`);
  lines.push(`${input.site ? 'paste' : 'then paste'} this into your pages:`, input.snippet);
  return lines;
}
