// What every view may need: the API client, and who is looking (a signed-in user, or a
// visitor of a share link, who gets a read-only dashboard).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/http.js';
import type { Me } from '../api/types.js';

export interface Session {
  api: Api;
  me: Me | undefined;
  /** Re-reads /api/auth/me (after login, setup or logout). */
  refreshMe: () => Promise<Me | undefined>;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
