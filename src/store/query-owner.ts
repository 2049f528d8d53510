// Who a stats statement runs for, and by when the request asking for it must be answered.
// The query pool gives each owner (a user, an API key's user, a share link) only part of its
// connections, so one reader's flood of heavy queries cannot keep everyone else waiting, and
// every statement of one request shares one deadline, so a query of several statements still
// answers within its timeout (issue 11.5). The scope travels with the request's async context
// rather than through every call: the query engine, journeys and realtime stay free of HTTP
// identities, and the CLI and control socket simply run without one.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface QueryScope {
  readonly owner: string;
  /** Set by the scope's first statement: its start plus its timeout (ms since the epoch). */
  deadline?: number;
  /** Set by the scope's first statement: its place in line (earlier requests are served first). */
  arrival?: number;
  /** A request known to be cheap (markLight): it waits only behind other light ones. */
  light?: boolean;
}

const scopes = new AsyncLocalStorage<QueryScope>();

/** Runs `fn` with every stats statement it starts counted against `owner`, under one deadline. */
export function asQueryOwner<T>(owner: string, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ owner }, fn);
}

/**
 * Marks the current request as cheap: the planner sends it to the visits table, or it reads
 * the last minutes only (realtime). Outside a request it does nothing.
 */
export function markLight(): void {
  const scope = scopes.getStore();
  if (scope) scope.light = true;
}

/** The scope of statements started here; outside any request (CLI, control socket) a fresh one each time. */
export function currentQueryScope(): QueryScope {
  return scopes.getStore() ?? { owner: '' };
}
