// The filters both query suites check against the oracle (stats-correctness on every engine,
// compiled-answers on a small store for mutation runs): every operator, several values (and-ed
// when negated), case folding, "(not set)", props present and missing, and/or/not, and
// Plausible's behavioural filters.
export const FILTER_CASES: [string, unknown[]][] = [
  ['is', ['is', 'visit:country', ['DE']]],
  ['is with several values', ['is', 'event:page', ['/', '/blog/post-1']]],
  ['is_not', ['is_not', 'visit:browser', ['Chrome']]],
  ['contains', ['contains', 'event:page', ['post-1']]],
  ['contains_not', ['contains_not', 'visit:source', ['oo']]],
  ['matches', ['matches', 'event:page', ['^/blog/post-[0-9]$']]],
  ['matches_not', ['matches_not', 'visit:referrer', ['ycombinator']]],
  ['is, case-insensitive', ['is', 'visit:source', ['google'], { case_sensitive: false }]],
  // Case folded beyond ASCII: î and Î are the same letter (ClickHouse's lower() folds only ASCII).
  [
    'is, case-insensitive, beyond ASCII',
    ['is', 'visit:region_name', ['île-de-france'], { case_sensitive: false }],
  ],
  ['contains, case-insensitive', ['contains', 'event:title', ['NUMBER 2'], { case_sensitive: false }]],
  ['matches, case-insensitive', ['matches', 'visit:browser', ['^(chrome|EDGE)$'], { case_sensitive: false }]],
  ['an event name', ['is', 'event:name', ['Signup']]],
  ['a prop', ['is', 'event:props:plan', ['pro']]],
  ['a missing prop', ['is', 'event:props:plan', ['(none)']]],
  ['a country name', ['contains', 'visit:country_name', ['united']]],
  ['a region name', ['is', 'visit:region_name', ['Bavaria']]],
  ['an entry page', ['is', 'visit:entry_page', ['/']]],
  ['an exit page', ['contains_not', 'visit:exit_page', ['post']]],
  [
    'and',
    [
      'and',
      [
        ['is', 'visit:device', ['Desktop']],
        ['contains', 'event:page', ['blog']],
      ],
    ],
  ],
  [
    'or',
    [
      'or',
      [
        ['is', 'visit:country', ['FR']],
        ['is', 'visit:channel', ['Email']],
      ],
    ],
  ],
  ['not', ['not', ['is', 'visit:os', ['iOS']]]],
  // Several values in a negated filter are and-ed: neither Chrome nor Firefox.
  ['is_not, two values', ['is_not', 'visit:browser', ['Chrome', 'Firefox']]],
  ['contains_not, two values', ['contains_not', 'event:page', ['post-1', 'post-2']]],
  ['matches_not, two values', ['matches_not', 'visit:source', ['^Goo', 'News$']]],
  // Empty values read "(not set)" / "Direct / None", and filters on those words select them.
  ['is (not set)', ['is', 'visit:country', ['(not set)']]],
  ['is_not (not set), with another value', ['is_not', 'visit:utm_campaign', ['(not set)', 'launch']]],
  ['is (not set), case-insensitive', ['is', 'event:title', ['(NOT SET)'], { case_sensitive: false }]],
  ['a country name or (not set)', ['is', 'visit:country_name', ['France', '(not set)']]],
  ['is Direct / None (referrer)', ['is', 'visit:referrer', ['Direct / None']]],
  // A property the event lacks neither contains, nor fails to contain, nor matches a value.
  ['a prop, contains_not', ['contains_not', 'event:props:plan', ['pr']]],
  ['a prop, matches_not, two values', ['matches_not', 'event:props:plan', ['^f', '^t']]],
  ['a prop, contains', ['contains', 'event:props:plan', ['none']]],
  ['a prop, is_not (a missing prop is "(none)")', ['is_not', 'event:props:plan', ['pro']]],
  // Only interactive custom events stop a bounce: Video Progress is sent without the visitor.
  ['a non-interactive event', ['is', 'event:name', ['Video Progress']]],
  // A hostname filter: sources, UTM tags and entry pages only of visits that began on the host.
  ['a hostname', ['is', 'event:hostname', ['www.example.com']]],
  [
    'nested',
    [
      'and',
      [
        [
          'or',
          [
            ['is', 'visit:language', ['de']],
            ['is', 'visit:language', ['fr']],
          ],
        ],
        ['not', ['is', 'event:name', ['pageview']]],
      ],
    ],
  ],
  // Plausible's behavioural filters: visits that did (not) do an event of the range.
  ['has_done an event', ['has_done', ['is', 'event:name', ['Signup']]]],
  [
    'has_not_done a page, with a page filter on other events',
    [
      'and',
      [
        ['has_not_done', ['is', 'event:page', ['/']]],
        ['contains', 'event:page', ['post']],
      ],
    ],
  ],
  [
    'has_done an event without a prop, in an or',
    [
      'or',
      [
        [
          'has_done',
          [
            'and',
            [
              ['is', 'event:name', ['Signup']],
              ['not', ['is', 'event:props:plan', ['pro']]],
            ],
          ],
        ],
        ['is', 'visit:device', ['Tablet']],
      ],
    ],
  ],
];

/**
 * Top-level filter sets for breakdowns by page, host, entry/exit page and campaign: a page filter
 * there selects entry pages for the visit rates (Plausible), and with another filter or in an
 * `or` it must not.
 */
export const PAGE_FILTER_SETS: unknown[][][] = [
  [['contains', 'event:page', ['post']]],
  [['is_not', 'event:hostname', ['example.com']]],
  // Visits that entered on a post and signed up anywhere: not all signed up on a post.
  [
    ['contains', 'event:page', ['post']],
    ['is', 'event:name', ['Signup']],
  ],
  [
    [
      'or',
      [
        ['is', 'event:page', ['/']],
        ['is', 'event:name', ['Signup']],
      ],
    ],
  ],
  // A page in a behavioural filter is a page the visit saw, never renamed to its entry page.
  [['has_done', ['contains', 'event:page', ['post-1']]]],
];

/** The breakdowns PAGE_FILTER_SETS are checked with. */
export const PAGE_BREAKDOWNS = [
  'event:page',
  'event:hostname',
  'visit:entry_page',
  'visit:exit_page',
  'visit:utm_campaign',
];
