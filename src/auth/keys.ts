// API keys: `ff_` + 256 random bits, shown once, stored as a SHA-256 hash with a short
// prefix for recognition; scoped to sites and to reads or reads and writes. A key never
// does more than its user may at the time it is used (access.ts checks both).
import { footfallError } from '../errors.js';
import { normalizeDomain } from '../sites/domain.js';
import type { AccountStore, ApiKeyRecord, User } from '../store/accounts.js';
import { roleAllows } from './identity.js';
import { API_KEY_PREFIX, newToken, sha256 } from './tokens.js';

const MAX_NAME_CHARS = 100;
const MAX_SITES = 100;
const PREFIX_CHARS = API_KEY_PREFIX.length + 6;

export interface NewKeyInput {
  name?: unknown;
  sites: unknown;
  readOnly?: unknown;
}

export interface KeyView {
  id: number;
  name: string;
  sites: string[];
  readOnly: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  prefix: string;
}

export function keyView(k: ApiKeyRecord): KeyView {
  return {
    id: k.id,
    name: k.name,
    sites: k.sites,
    readOnly: k.readOnly,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
    prefix: k.prefix,
  };
}

function parseName(input: unknown): string {
  if (input === undefined) return 'API key';
  if (typeof input !== 'string' || input.trim() === '' || [...input].length > MAX_NAME_CHARS) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `name must be 1 to ${MAX_NAME_CHARS} characters`);
  }
  return input.trim();
}

function parseSites(input: unknown): string[] {
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_SITES) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `sites must list 1 to ${MAX_SITES} site domains`);
  }
  return [
    ...new Set(
      input.map((d) => {
        if (typeof d !== 'string') throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'sites must be strings');
        return normalizeDomain(d);
      }),
    ),
  ];
}

/**
 * Checks the input and that the user may do what the key would (read the sites; change them
 * too for a read-write key), then stores the key. Returns the key's only plaintext copy.
 */
export async function createApiKey(
  accounts: AccountStore,
  random: (n: number) => Buffer,
  user: Pick<User, 'id' | 'email' | 'role'>,
  input: NewKeyInput,
  now: number,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const name = parseName(input.name);
  const sites = parseSites(input.sites);
  if (input.readOnly !== undefined && typeof input.readOnly !== 'boolean') {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', 'readOnly must be true or false');
  }
  const readOnly = input.readOnly === true;
  for (const domain of sites) {
    if (!(await accounts.siteExists(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
    const role = user.role === 'owner' ? 'owner' : await accounts.siteRole(user.id, domain);
    if (!roleAllows(role, readOnly ? 'read' : 'write')) {
      throw footfallError(
        'FOOTFALL_ERR_FORBIDDEN',
        `${user.email} may not ${readOnly ? 'read' : 'change'} ${domain}${readOnly ? '' : ': make the key read-only'}`,
      );
    }
  }
  const key = `${API_KEY_PREFIX}${newToken(random)}`;
  const record = await accounts.addApiKey(
    { userId: user.id, name, prefix: key.slice(0, PREFIX_CHARS), keyHash: sha256(key), readOnly, sites },
    now,
  );
  return { key, record };
}
