// The bounds every tracking input is held to (DESIGN.md "Rules that hold everywhere").
export const LIMITS = {
  bodyBytes: 64 * 1024,
  urlBytes: 2000,
  queryStringBytes: 8 * 1024,
  props: 30,
  propKeyBytes: 300,
  propValueBytes: 2000,
  nameChars: 120,
  /** Longer titles and referrers are cut, not refused: a real page must never fail to count. */
  titleChars: 1000,
  referrerBytes: 2000,
} as const;
