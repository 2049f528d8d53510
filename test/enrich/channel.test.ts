import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Channel, channelOf } from '../../src/enrich/channel.js';
import { sourceOf } from '../../src/enrich/source.js';

const SITE = 'example.com';

interface Visit {
  ref?: string;
  source?: string;
  medium?: string;
  campaign?: string;
}

/** The channel of a visit, with the source worked out as enrichment does. */
function channel(v: Visit): Channel {
  const referrerHost = v.ref ?? '';
  const utmSource = v.source ?? '';
  return channelOf({
    source: sourceOf({ referrerHost, utmSource, siteDomain: SITE }),
    referrerHost,
    utmSource,
    utmMedium: v.medium ?? '',
    utmCampaign: v.campaign ?? '',
    siteDomain: SITE,
  });
}

describe('channelOf', () => {
  const cases: [what: string, visit: Visit, expected: Channel][] = [
    ['no referrer and no utm', {}, 'Direct'],
    ['a self-referral', { ref: 'example.com' }, 'Direct'],
    ['a self-referral from a subdomain', { ref: 'blog.example.com' }, 'Direct'],
    ['google.com', { ref: 'google.com' }, 'Organic Search'],
    ['google.de', { ref: 'google.de' }, 'Organic Search'],
    ['google.co.uk', { ref: 'google.co.uk' }, 'Organic Search'],
    ['duckduckgo.com', { ref: 'duckduckgo.com' }, 'Organic Search'],
    ['utm_source=google alone', { source: 'google' }, 'Organic Search'],
    ['utm_medium=organic', { source: 'someportal', medium: 'organic' }, 'Organic Search'],
    ['google cpc', { ref: 'google.com', source: 'google', medium: 'cpc' }, 'Paid Search'],
    ['bing ppc', { source: 'bing', medium: 'ppc' }, 'Paid Search'],
    ['google paidsearch', { source: 'google', medium: 'paidsearch' }, 'Paid Search'],
    ['google retargeting', { source: 'google', medium: 'retargeting' }, 'Paid Search'],
    ['facebook paid_social', { source: 'facebook', medium: 'paid_social' }, 'Paid Social'],
    ['fb cpc', { source: 'fb', medium: 'cpc' }, 'Paid Social'],
    ['a facebook link', { ref: 'l.facebook.com' }, 'Organic Social'],
    ['t.co', { ref: 't.co' }, 'Organic Social'],
    ['Hacker News', { ref: 'news.ycombinator.com' }, 'Organic Social'],
    [
      'utm_medium=social from an unknown source',
      { source: 'mastodon.social', medium: 'social' },
      'Organic Social',
    ],
    ['youtube', { ref: 'youtube.com' }, 'Organic Video'],
    ['youtube cpv', { source: 'youtube', medium: 'cpv' }, 'Paid Video'],
    ['utm_medium=video', { source: 'partner', medium: 'video' }, 'Organic Video'],
    ['newsletter email', { source: 'newsletter', medium: 'email' }, 'Email'],
    ['utm_source=newsletter alone', { source: 'newsletter' }, 'Email'],
    ['utm_medium=e-mail', { source: 'acme', medium: 'E-Mail' }, 'Email'],
    ['utm_source=email', { source: 'email' }, 'Email'],
    ['a Gmail web link', { ref: 'mail.google.com' }, 'Email'],
    ['affiliate', { source: 'partner-blog', medium: 'affiliate' }, 'Affiliates'],
    ['display banner', { source: 'adnetwork', medium: 'banner' }, 'Display'],
    ['cpm from a non-search source', { source: 'adnetwork', medium: 'cpm' }, 'Display'],
    ['paid medium from an unknown source', { source: 'adnetwork', medium: 'paid' }, 'Paid Other'],
    [
      'cross-network campaign',
      { source: 'google', medium: 'cpc', campaign: 'pmax_Cross-Network' },
      'Cross-network',
    ],
    ['amazon', { ref: 'amazon.de' }, 'Organic Shopping'],
    ['shopping campaign', { source: 'partner', campaign: 'summer-shop' }, 'Organic Shopping'],
    ['paid shopping campaign', { source: 'google', medium: 'cpc', campaign: 'shopping-q3' }, 'Paid Shopping'],
    ['audio', { source: 'spotify', medium: 'audio' }, 'Audio'],
    ['sms medium', { source: 'acme', medium: 'sms' }, 'SMS'],
    ['sms source', { source: 'sms' }, 'SMS'],
    ['push', { source: 'app', medium: 'web-push' }, 'Mobile Push Notifications'],
    ['firebase', { source: 'firebase' }, 'Mobile Push Notifications'],
    ['utm_medium=referral', { source: 'partner', medium: 'referral' }, 'Referral'],
    ['an unknown host', { ref: 'blog.example.org' }, 'Referral'],
    ['Wikipedia', { ref: 'en.wikipedia.org' }, 'Referral'],
    ['ChatGPT (no GA4 channel of its own)', { ref: 'chatgpt.com' }, 'Referral'],
    ['an unknown utm_source with a referrer', { ref: 'blog.example.org', source: 'spring' }, 'Referral'],
    ['an unknown utm_source and nothing else', { source: 'spring' }, 'Unassigned'],
    ['an unknown utm_source on a self-referral', { ref: 'example.com', source: 'spring' }, 'Unassigned'],
    ['an unknown medium', { ref: 'blog.example.org', source: 'spring', medium: 'poster' }, 'Unassigned'],
    ['only a campaign', { campaign: 'spring' }, 'Unassigned'],
  ];
  for (const [what, visit, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(channel(visit), expected));
  }

  it('reads a self-referral as direct without siteDomain when untagged', () => {
    const source = sourceOf({ referrerHost: 'example.com', utmSource: '', siteDomain: SITE });
    const input = { source, referrerHost: 'example.com', utmSource: '', utmMedium: '', utmCampaign: '' };
    assert.equal(channelOf(input), 'Direct');
  });
});
