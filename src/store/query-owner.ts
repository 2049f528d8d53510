// Who a stats statement runs for. The query pool gives each owner (a user, an API key's user,
// a share link) only part of its connections, so one reader's flood of heavy queries cannot
// keep everyone else waiting (issue 11.5). The owner travels with the request's async
// context rather than through every call: the query engine, journeys and realtime stay free
// of HTTP identities, and the CLI and control socket simply run without one.
import { AsyncLocalStorage } from 'node:async_hooks';

const owners = new AsyncLocalStorage<string>();

/** Runs `fn` with every stats statement it starts counted against `owner`. */
export function asQueryOwner<T>(owner: string, fn: () => Promise<T>): Promise<T> {
  return owners.run(owner, fn);
}

/** The owner of statements started here; '' outside any request (CLI, control socket, jobs). */
export function currentQueryOwner(): string {
  return owners.getStore() ?? '';
}
