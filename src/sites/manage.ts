// Adding and removing sites, with the input checks; shared by the CLI (direct on the data
// directory) and the running server's control socket.
import { footfallError } from '../errors.js';
import type { Site, SiteStore } from '../store/types.js';
import { normalizeDomain } from './domain.js';
import { normalizeTimezone } from './timezone.js';

export async function addSite(store: SiteStore, input: { domain: string; timezone?: string }): Promise<Site> {
  const domain = normalizeDomain(input.domain);
  const timezone = normalizeTimezone(input.timezone ?? 'UTC');
  return store.addSite({ domain, timezone });
}

export async function removeSite(store: SiteStore, domainInput: string): Promise<void> {
  const domain = normalizeDomain(domainInput);
  if (!(await store.removeSite(domain))) throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domain);
}
