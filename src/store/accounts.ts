// What access control may ask of a store: users, their site roles, sessions, API keys,
// share links and the first-run setup token. Times are milliseconds since the epoch and
// always come from the caller (the server's clock), so tests can drive expiry.
import type { SignInSecretStore } from './sign-in-secrets.js';

/** `owner` may do everything; a `member` sees only the sites they have a role on. */
export type UserRole = 'owner' | 'member';
/** A member's role on one site: `admin` manages it, `viewer` reads its stats. */
export type SiteRole = 'admin' | 'viewer';

export interface User {
  id: number;
  email: string;
  role: UserRole;
  createdAt: number;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

export interface SessionRecord {
  id: number;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface ApiKeyRecord {
  id: number;
  userId: number;
  name: string;
  /** The first characters of the key, shown so a user can tell keys apart. */
  prefix: string;
  readOnly: boolean;
  /** Domains of the sites the key may be used for. */
  sites: string[];
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ShareLinkRecord {
  id: number;
  siteDomain: string;
  token: string;
  passwordHash: string | null;
  embeddable: boolean;
  /** The saved segment (a site segment) the link is limited to: its viewers see only that. */
  segmentId: number | null;
  createdAt: number;
}

export interface Member {
  userId: number;
  email: string;
  role: SiteRole;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: UserRole;
}

export interface NewApiKey {
  userId: number;
  name: string;
  prefix: string;
  keyHash: string;
  readOnly: boolean;
  sites: string[];
}

export interface NewShareLink {
  siteDomain: string;
  token: string;
  passwordHash: string | null;
  embeddable: boolean;
  segmentId?: number | null;
}

export interface AccountStore extends SignInSecretStore {
  countUsers(): Promise<number>;
  /** Throws FOOTFALL_ERR_USER_EXISTS when the email is taken. */
  addUser(user: NewUser, now: number): Promise<User>;
  /**
   * The first owner, created only while there are no users and only with the current setup
   * token (which is used up): 'bad-token' or 'setup-done' otherwise.
   */
  addFirstOwner(tokenHash: string, user: NewUser, now: number): Promise<User | 'bad-token' | 'setup-done'>;
  findUserByEmail(email: string): Promise<UserWithPassword | undefined>;
  getUser(id: number): Promise<UserWithPassword | undefined>;
  listUsers(): Promise<User[]>;
  /** Removes the user with their sessions, keys and site roles; refuses to remove the last owner. */
  removeUser(id: number): Promise<boolean>;
  setPasswordHash(userId: number, passwordHash: string): Promise<void>;

  /** Replaces any earlier setup token. */
  setSetupToken(tokenHash: string, now: number): Promise<void>;
  checkSetupToken(tokenHash: string): Promise<boolean>;

  addSession(tokenHash: string, userId: number, now: number, expiresAt: number): Promise<SessionRecord>;
  /** The unexpired session with this token hash, with its user. */
  findSession(
    tokenHash: string,
    now: number,
  ): Promise<{ session: SessionRecord; user: UserWithPassword } | undefined>;
  touchSession(id: number, now: number, expiresAt: number): Promise<void>;
  listSessions(userId: number, now: number): Promise<SessionRecord[]>;
  removeSession(userId: number, id: number): Promise<boolean>;
  /** Revokes every session of the user except `keepId`. */
  removeOtherSessions(userId: number, keepId: number | undefined): Promise<void>;
  /** Also removes expired password reset links and pending sign-ins. */
  removeExpiredSessions(now: number): Promise<void>;

  /** Throws FOOTFALL_ERR_SITE_NOT_FOUND when a domain names no site. */
  addApiKey(key: NewApiKey, now: number): Promise<ApiKeyRecord>;
  findApiKey(keyHash: string): Promise<{ key: ApiKeyRecord; user: UserWithPassword } | undefined>;
  touchApiKey(id: number, now: number): Promise<void>;
  /** Every key, or one user's. */
  listApiKeys(userId?: number): Promise<ApiKeyRecord[]>;
  /** Deletes the key (only the user's own when userId is given). */
  removeApiKey(id: number, userId?: number): Promise<boolean>;

  siteExists(domain: string): Promise<boolean>;
  allSiteDomains(): Promise<string[]>;
  siteRole(userId: number, domain: string): Promise<SiteRole | undefined>;
  /** The sites a member has a role on. */
  memberSites(userId: number): Promise<{ domain: string; role: SiteRole }[]>;
  listMembers(domain: string): Promise<Member[]>;
  /** Adds the member or changes their role. */
  setMember(domain: string, userId: number, role: SiteRole): Promise<void>;
  removeMember(domain: string, userId: number): Promise<boolean>;

  addShareLink(link: NewShareLink, now: number): Promise<ShareLinkRecord>;
  findShareLink(token: string): Promise<ShareLinkRecord | undefined>;
  listShareLinks(domain: string): Promise<ShareLinkRecord[]>;
  removeShareLink(domain: string, id: number): Promise<boolean>;
}
