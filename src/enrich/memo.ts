// What an import works out once per distinct string (a user agent's bot verdict, an address's
// place): a plain Map emptied when full. lru-cache's bookkeeping on every hit showed in an
// import's profile, and a full table means a flood of one-off keys, which no eviction order
// would help. Only for answers that depend on the key alone.
export function memoByKey<V>(compute: (key: string) => V, max: number): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= max) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
