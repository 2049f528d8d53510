// Adding and removing sites, with the input checks; shared by the CLI (direct on the data
// directory) and the running server's control socket.
import { footfallError } from '../errors.js';
import type { RetentionSettings } from '../store/jobs.js';
import type { Site, SiteStore } from '../store/types.js';
import { normalizeDomain } from './domain.js';
import { normalizeTimezone } from './timezone.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function normalizeUmamiId(input: string): string {
  const id = input.trim().toLowerCase();
  if (!UUID.test(id)) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_FIELD',
      `--umami-id "${input}" is not a UUID: copy the website id from Umami's settings, e.g. 50429a93-8479-4073-be80-d5d29c09c2ec`,
    );
  }
  return id;
}

export async function addSite(
  store: SiteStore,
  input: { domain: string; timezone?: string; umamiId?: string },
): Promise<Site> {
  const domain = normalizeDomain(input.domain);
  const timezone = normalizeTimezone(input.timezone ?? 'UTC');
  const umamiId = input.umamiId === undefined ? undefined : normalizeUmamiId(input.umamiId);
  return store.addSite({ domain, timezone, umamiId });
}

export async function removeSite(store: SiteStore, domainInput: string): Promise<void> {
  const domain = normalizeDomain(domainInput);
  if (!(await store.removeSite(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
}

/** Sets how many months a site keeps its events (null: forever); the nightly job deletes older ones. */
export async function setSiteRetention(
  store: { jobs: RetentionSettings },
  domainInput: string,
  months: number | null,
): Promise<void> {
  const domain = normalizeDomain(domainInput);
  if (!(await store.jobs.setRetention(domain, months)))
    throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
}
