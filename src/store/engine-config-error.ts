// A setting that picks or reaches an event engine is wrong (a malformed --clickhouse-url, wrong
// credentials, a missing optional package). The message is one line naming the setting and the
// fix; `footfall serve` and the CLI print it as they print their own configuration errors. It
// lives in store/ so the store never imports the server's config.
export class EngineConfigError extends Error {}
