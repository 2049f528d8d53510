// What every panel of one dashboard shares: the query scope built from the URL, the
// state itself, and how to add a filter. Panels read it from context, so adding a panel
// touches nothing else.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/http.js';
import type { SimpleFilter } from '../api/types.js';
import type { DashboardState } from '../state/url-state.js';
import type { Scope } from './requests.js';

export interface Dash {
  api: Api;
  domain: string;
  /** The site's IANA time zone (the browser's when unknown): "now" for the chart. */
  timezone: string | undefined;
  state: DashboardState;
  scope: Scope;
  /** A stable string for the scope: panels refetch when it changes. */
  scopeKey: string;
  update: (next: DashboardState) => void;
  addFilter: (filter: SimpleFilter) => void;
}

export const DashContext = createContext<Dash | undefined>(undefined);

export function useDash(): Dash {
  const d = useContext(DashContext);
  if (!d) throw new Error('useDash outside a dashboard');
  return d;
}
