// The marketing channel of a visit, following Google Analytics 4's default channel group, so that
// Footfall's numbers read like the ones marketers already know. The rules are an ordered table
// evaluated top to bottom; the first that matches names the channel.
import { DIRECT_SOURCE, type SourceCategory, sourceCategory, sourceOf } from './source.js';

export type Channel =
  | 'Direct'
  | 'Cross-network'
  | 'Paid Shopping'
  | 'Paid Search'
  | 'Paid Social'
  | 'Paid Video'
  | 'Display'
  | 'Paid Other'
  | 'Organic Shopping'
  | 'Organic Social'
  | 'Organic Video'
  | 'Organic Search'
  | 'Email'
  | 'Affiliates'
  | 'Referral'
  | 'Audio'
  | 'SMS'
  | 'Mobile Push Notifications'
  | 'Unassigned';

export interface ChannelInput {
  /** The source as sourceOf gave it. */
  source: string;
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  /** The site's own domain; when given, a link from within the site never counts as a referral. */
  siteDomain?: string;
}

/** What the rules look at, lowercased once. */
interface Facts {
  source: string;
  category: SourceCategory | undefined;
  medium: string;
  campaign: string;
  /** No external referrer and nothing tagged: GA4's (direct) / (none). */
  direct: boolean;
  /** Another site linked here (a link within the site does not count). */
  referred: boolean;
}

type Rule = readonly [Channel, (f: Facts) => boolean];

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const SHOPPING_CAMPAIGN = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS = new Set([
  'social',
  'social-network',
  'social-media',
  'sm',
  'social network',
  'social media',
]);
// GA4's four spellings, plus "newsletter": the most common tag for email links that GA4 would
// leave Unassigned, though no one means anything but email by it.
const EMAIL_TAGS = new Set(['email', 'e-mail', 'e_mail', 'e mail', 'newsletter']);
const REFERRAL_MEDIUMS = new Set(['referral', 'app', 'link']);

const paid = (f: Facts): boolean => PAID_MEDIUM.test(f.medium);
const shopping = (f: Facts): boolean => f.category === 'shopping' || SHOPPING_CAMPAIGN.test(f.campaign);

const RULES: readonly Rule[] = [
  ['Direct', (f) => f.direct],
  ['Cross-network', (f) => f.campaign.includes('cross-network')],
  ['Paid Shopping', (f) => shopping(f) && paid(f)],
  ['Paid Search', (f) => f.category === 'search' && paid(f)],
  ['Paid Social', (f) => f.category === 'social' && paid(f)],
  ['Paid Video', (f) => f.category === 'video' && paid(f)],
  ['Display', (f) => DISPLAY_MEDIUMS.has(f.medium)],
  ['Paid Other', paid],
  ['Organic Shopping', shopping],
  ['Organic Social', (f) => f.category === 'social' || SOCIAL_MEDIUMS.has(f.medium)],
  ['Organic Video', (f) => f.category === 'video' || f.medium.includes('video')],
  ['Organic Search', (f) => f.category === 'search' || f.medium === 'organic'],
  ['Email', (f) => f.category === 'email' || EMAIL_TAGS.has(f.source) || EMAIL_TAGS.has(f.medium)],
  ['Affiliates', (f) => f.medium === 'affiliate'],
  ['Referral', (f) => REFERRAL_MEDIUMS.has(f.medium)],
  ['Audio', (f) => f.medium === 'audio'],
  ['SMS', (f) => f.source === 'sms' || f.medium === 'sms'],
  [
    'Mobile Push Notifications',
    (f) =>
      f.medium.endsWith('push') ||
      f.medium.includes('mobile') ||
      f.medium.includes('notification') ||
      f.source === 'firebase',
  ],
  // GA4 gives an untagged link from another site the medium "referral"; Footfall stores no medium
  // for it, so the same link lands here rather than in Unassigned.
  ['Referral', (f) => f.medium === '' && f.referred],
  ['Unassigned', () => true],
];

function factsOf(input: ChannelInput): Facts {
  const source = input.source.trim().toLowerCase();
  const medium = input.utmMedium.trim().toLowerCase();
  const campaign = input.utmCampaign.trim().toLowerCase();
  const untagged = input.utmSource.trim() === '';
  // With utm_source present the source no longer says whether another site linked here, so ask
  // the referrer alone (which also drops links from within the site).
  const referred = untagged
    ? input.source !== DIRECT_SOURCE
    : input.referrerHost !== '' &&
      sourceOf({ referrerHost: input.referrerHost, utmSource: '', siteDomain: input.siteDomain ?? '' }) !==
        DIRECT_SOURCE;
  return {
    source,
    category: sourceCategory(input.source),
    medium,
    campaign,
    direct: untagged && !referred && medium === '' && campaign === '',
    referred,
  };
}

/** The GA4 default channel group of a visit. */
export function channelOf(input: ChannelInput): Channel {
  const facts = factsOf(input);
  for (const [channel, matches] of RULES) {
    if (matches(facts)) return channel;
  }
  return 'Unassigned';
}
