// The one shape every tracking adapter (seed beacon, Plausible, Umami, Footfall's tracker)
// produces. Everything here has already passed the input checks in text.ts and tracked-url.ts.

export interface TrackedUrl {
  hostname: string;
  pathname: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
}

export interface RawEvent {
  name: string;
  url: TrackedUrl;
  /** The site named in the payload (Plausible's `domain`); the URL's hostname otherwise. */
  domains: readonly string[];
  referrer: string;
  title: string;
  props: ReadonlyArray<readonly [string, string]>;
  interactive: boolean;
  screenWidth: number | null;
  language: string;
  scrollDepth: number | null;
  engagementMs: number | null;
}

/** What the request itself tells about the visitor; used by enrichment, then discarded. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
  acceptLanguage: string;
}
