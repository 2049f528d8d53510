// The accounts API: sign-in, sites, members, keys and share links. Lists are read
// defensively (a missing list is an empty one) so a partial answer never breaks a page.
import type { Api } from './http.js';
import type {
  ApiKeyInfo,
  FunnelInfo,
  FunnelType,
  GoalInfo,
  Me,
  MemberInfo,
  NewGoalInput,
  SegmentInfo,
  SessionInfo,
  ShareInfo,
  SiteInfo,
  UserInfo,
} from './types.js';

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

export interface SignInAnswer {
  next?: 'code' | 'enrol';
  pending?: string;
}

export interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

const site = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;

export const auth = {
  setupStatus: (api: Api) => api.get<{ needsSetup: boolean; mail?: boolean }>('/api/auth/setup-status'),
  forgot: (api: Api, body: { email: string }) => api.send<unknown>('POST', '/api/auth/forgot', body),
  resetPassword: (api: Api, body: { token: string; password: string }) =>
    api.send<unknown>('POST', '/api/auth/reset', body),
  setup: (api: Api, body: { token: string; email: string; password: string }) =>
    api.send<unknown>('POST', '/api/auth/setup', body),
  acceptInvite: (api: Api, body: { token: string; password: string }) =>
    api.send<{ user: { email: string } }>('POST', '/api/auth/invite', body),
  /** `next`: a second step is due (src/api/sign-in.ts); otherwise the session is set. */
  login: (api: Api, body: { email: string; password: string }) =>
    api.send<SignInAnswer>('POST', '/api/auth/login', body),
  loginCode: (api: Api, body: { pending: string; code: string }) =>
    api.send<unknown>('POST', '/api/auth/login/code', body),
  loginEnrol: (api: Api, body: { pending: string }) =>
    api.send<Enrolment>('POST', '/api/auth/login/enrol', body),
  loginEnrolConfirm: (api: Api, body: { pending: string; code: string }) =>
    api.send<{ recoveryCodes: string[] }>('POST', '/api/auth/login/enrol/confirm', body),
  twoFactor: (api: Api) =>
    api.get<{ enabled: boolean; recoveryCodesLeft: number; required: boolean }>('/api/auth/2fa'),
  twoFactorSetup: (api: Api) => api.send<Enrolment>('POST', '/api/auth/2fa/setup', {}),
  twoFactorEnable: (api: Api, body: { code: string }) =>
    api.send<{ recoveryCodes: string[] }>('POST', '/api/auth/2fa/enable', body),
  twoFactorDisable: (api: Api, body: { password: string }) =>
    api.send<unknown>('POST', '/api/auth/2fa/disable', body),
  requireTwoFactor: (api: Api, body: { required: boolean }) =>
    api.send<unknown>('POST', '/api/auth/2fa/required', body),
  logout: (api: Api) => api.send<unknown>('POST', '/api/auth/logout'),
  me: (api: Api) => api.get<Me>('/api/auth/me'),
  changePassword: (api: Api, body: { current: string; password: string }) =>
    api.send<unknown>('POST', '/api/auth/password', body),
  sessions: async (api: Api) =>
    list<SessionInfo>((await api.get<{ sessions?: unknown }>('/api/auth/sessions'))?.sessions),
  revokeSession: (api: Api, id: string) =>
    api.send<unknown>('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`),
};

export const sites = {
  list: async (api: Api) => list<SiteInfo>((await api.get<{ sites?: unknown }>('/api/sites'))?.sites),
  /** One site (a share link may read its own: the dashboard needs its time zone). */
  get: async (api: Api, domain: string) => (await api.get<{ site?: SiteInfo }>(site(domain)))?.site,
  add: (api: Api, body: { domain: string; timezone: string }) =>
    api.send<unknown>('POST', '/api/sites', body),
  update: (api: Api, domain: string, body: { timezone?: string; retentionMonths?: unknown }) =>
    api.send<unknown>('PATCH', site(domain), body),
  remove: (api: Api, domain: string) => api.send<unknown>('DELETE', site(domain), { confirm: domain }),
};

/** The people who may sign in (owners only). */
export const users = {
  list: async (api: Api) => list<UserInfo>((await api.get<{ users?: unknown }>('/api/users'))?.users),
  /** Without a password: an invitation, answered with its one-time link. */
  invite: (api: Api, body: { email: string; role: string }) =>
    api.send<{ invite?: { url?: string; expiresAt?: string } }>('POST', '/api/users', body),
  remove: (api: Api, id: number) =>
    api.send<unknown>('DELETE', `/api/users/${encodeURIComponent(String(id))}`),
};

export interface ReportSubscriptionInfo {
  id: number;
  email: string;
  period: 'week' | 'month';
}

export const reports = {
  list: async (api: Api, domain: string) => {
    const answer = await api.get<{ subscriptions?: unknown; mailConfigured?: boolean }>(
      `${site(domain)}/reports`,
    );
    return {
      subscriptions: list<ReportSubscriptionInfo>(answer?.subscriptions),
      mail: answer?.mailConfigured === true,
    };
  },
  add: (api: Api, domain: string, body: { email: string; period: string }) =>
    api.send<unknown>('POST', `${site(domain)}/reports`, body),
  remove: (api: Api, domain: string, id: number) =>
    api.send<unknown>('DELETE', `${site(domain)}/reports/${encodeURIComponent(String(id))}`),
  sendNow: (api: Api, domain: string, body: { period: string }) =>
    api.send<{ sent: string }>('POST', `${site(domain)}/reports/send`, body),
};

export interface AlertInfo {
  spike: number | null;
  drop: number | null;
  emails: string[];
  webhookUrl: string | null;
  webhookFormat: 'json' | 'slack' | 'discord';
  webhookSecret: string | null;
  lastDelivery: string | null;
}

export const alerts = {
  get: async (api: Api, domain: string) =>
    await api.get<{ alerts: AlertInfo; mailConfigured: boolean }>(`${site(domain)}/alerts`),
  save: (api: Api, domain: string, body: Record<string, unknown>) =>
    api.send<{ alerts: AlertInfo }>('PUT', `${site(domain)}/alerts`, body),
};

export const members = {
  list: async (api: Api, domain: string) =>
    list<MemberInfo>((await api.get<{ members?: unknown }>(`${site(domain)}/members`))?.members),
  add: (api: Api, domain: string, body: { email: string; role: string }) =>
    api.send<unknown>('POST', `${site(domain)}/members`, body),
  remove: (api: Api, domain: string, userId: string | number) =>
    api.send<unknown>('DELETE', `${site(domain)}/members/${encodeURIComponent(String(userId))}`),
};

export const keys = {
  list: async (api: Api) => list<ApiKeyInfo>((await api.get<{ keys?: unknown }>('/api/keys'))?.keys),
  create: (api: Api, body: { name: string; sites: string[]; readOnly: boolean }) =>
    api.send<{ key: string }>('POST', '/api/keys', body),
  revoke: (api: Api, id: string | number) =>
    api.send<unknown>('DELETE', `/api/keys/${encodeURIComponent(String(id))}`),
};

export const goals = {
  list: async (api: Api, domain: string) =>
    list<GoalInfo>((await api.get<{ goals?: unknown }>(`${site(domain)}/goals`))?.goals),
  create: (api: Api, domain: string, body: NewGoalInput) =>
    api.send<unknown>('POST', `${site(domain)}/goals`, body),
  remove: (api: Api, domain: string, id: number) =>
    api.send<unknown>('DELETE', `${site(domain)}/goals/${encodeURIComponent(String(id))}`),
};

export const segments = {
  list: async (api: Api, domain: string) =>
    list<SegmentInfo>((await api.get<{ segments?: unknown }>(`${site(domain)}/segments`))?.segments),
  create: (api: Api, domain: string, body: { name: string; type: 'personal' | 'site'; filters: unknown[] }) =>
    api.send<unknown>('POST', `${site(domain)}/segments`, body),
  rename: (api: Api, domain: string, id: number, name: string) =>
    api.send<unknown>('PATCH', `${site(domain)}/segments/${encodeURIComponent(String(id))}`, { name }),
  remove: (api: Api, domain: string, id: number) =>
    api.send<unknown>('DELETE', `${site(domain)}/segments/${encodeURIComponent(String(id))}`),
};

export const funnels = {
  list: async (api: Api, domain: string) =>
    list<FunnelInfo>((await api.get<{ funnels?: unknown }>(`${site(domain)}/funnels`))?.funnels),
  create: (api: Api, domain: string, body: { name: string; type: FunnelType; steps: number[] }) =>
    api.send<unknown>('POST', `${site(domain)}/funnels`, body),
  remove: (api: Api, domain: string, id: number) =>
    api.send<unknown>('DELETE', `${site(domain)}/funnels/${encodeURIComponent(String(id))}`),
};

export const shares = {
  list: async (api: Api, domain: string) =>
    list<ShareInfo>((await api.get<{ shares?: unknown }>(`${site(domain)}/shares`))?.shares),
  create: (
    api: Api,
    domain: string,
    body: { password?: string; embeddable?: boolean; segment_id?: number },
  ) => api.send<unknown>('POST', `${site(domain)}/shares`, body),
  revoke: (api: Api, domain: string, id: string) =>
    api.send<unknown>('DELETE', `${site(domain)}/shares/${encodeURIComponent(id)}`),
  info: (api: Api) => api.get<{ site?: unknown; passwordRequired?: boolean }>('/api/share/info'),
  unlock: (api: Api, body: { token: string; password: string }) =>
    api.send<unknown>('POST', '/api/share/unlock', body),
};
