// The DuckDB schema as an ordered list of migrations. Each runs once, in a transaction,
// and bumps `footfall_meta.schema_version`. Never edit a shipped migration: add one.
//
// Layout choice (measured, see BENCHMARKS.md "storage layout"): events are appended in
// arrival order, which is time order, so DuckDB's per-row-group min/max zone maps on `ts`
// prune every row group outside a date range. Low-cardinality strings (browser, country,
// channel…) are dictionary-compressed by DuckDB on their own.
import { IMPORT_PROGRESS_MIGRATION } from './bulk-import.js';
import { JOBS_MIGRATION } from './jobs.js';
import { ROLLUP_GOALS_MIGRATION, ROLLUP_VISITS_MIGRATION, ROLLUPS_MIGRATION } from './rollups.js';
import { VISIT_DAYS_MIGRATION, VISITS_MIGRATION } from './visits.js';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE SEQUENCE site_id_seq START 1;
  CREATE TABLE sites (
    id         INTEGER PRIMARY KEY DEFAULT nextval('site_id_seq'),
    domain     VARCHAR NOT NULL UNIQUE,
    timezone   VARCHAR NOT NULL DEFAULT 'UTC',
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  );
  CREATE TABLE events (
    site_id         UINTEGER NOT NULL,
    ts              TIMESTAMP NOT NULL,
    name            VARCHAR NOT NULL,
    hostname        VARCHAR NOT NULL,
    pathname        VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    referrer        VARCHAR NOT NULL,
    referrer_host   VARCHAR NOT NULL,
    utm_source      VARCHAR NOT NULL,
    utm_medium      VARCHAR NOT NULL,
    utm_campaign    VARCHAR NOT NULL,
    utm_term        VARCHAR NOT NULL,
    utm_content     VARCHAR NOT NULL,
    props           MAP(VARCHAR, VARCHAR) NOT NULL,
    interactive     BOOLEAN NOT NULL,
    visitor_id      UBIGINT NOT NULL,
    session_id      UBIGINT NOT NULL,
    browser         VARCHAR NOT NULL,
    browser_version VARCHAR NOT NULL,
    os              VARCHAR NOT NULL,
    os_version      VARCHAR NOT NULL,
    device          VARCHAR NOT NULL,
    screen          VARCHAR NOT NULL,
    language        VARCHAR NOT NULL,
    country         VARCHAR NOT NULL,
    region          VARCHAR NOT NULL,
    city            VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    channel         VARCHAR NOT NULL,
    scroll_depth    UTINYINT,
    engagement_ms   UINTEGER
  );
  CREATE TABLE health (id INTEGER PRIMARY KEY, checked_at TIMESTAMP);
  INSERT INTO health VALUES (1, current_timestamp);
  `,
  // Daily salts for visitor ids: one per UTC day, only today's and yesterday's are kept.
  `
  CREATE TABLE salts (
    day  DATE PRIMARY KEY,
    salt BLOB NOT NULL
  );
  `,
  // How far the ingest journal is loaded; written in the same transaction as the rows.
  `
  CREATE TABLE ingest_state (
    id              INTEGER PRIMARY KEY,
    journal_segment BIGINT NOT NULL,
    journal_offset  BIGINT NOT NULL
  );
  `,
  // A site may also answer to an Umami website id, so Umami's clients work unchanged.
  `
  ALTER TABLE sites ADD COLUMN umami_id VARCHAR;
  `,
  // Accounts and access (src/auth/). Secrets that grant access are stored as SHA-256
  // hashes (sessions, API keys, the setup token) or scrypt hashes (passwords). Share link
  // tokens are kept as they are so an admin can copy the link again: they grant only
  // reading stats, which anyone holding this file can read anyway.
  `
  CREATE SEQUENCE user_id_seq START 1;
  CREATE TABLE users (
    id            INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
    email         VARCHAR NOT NULL UNIQUE,
    password_hash VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
  );
  CREATE TABLE site_members (
    user_id INTEGER NOT NULL,
    site_id INTEGER NOT NULL,
    role    VARCHAR NOT NULL,
    PRIMARY KEY (user_id, site_id)
  );
  CREATE SEQUENCE session_id_seq START 1;
  CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY DEFAULT nextval('session_id_seq'),
    token_hash   VARCHAR NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
  );
  CREATE SEQUENCE api_key_id_seq START 1;
  CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY DEFAULT nextval('api_key_id_seq'),
    key_hash     VARCHAR NOT NULL UNIQUE,
    prefix       VARCHAR NOT NULL,
    user_id      INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    read_only    BOOLEAN NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
  );
  CREATE TABLE api_key_sites (
    key_id  INTEGER NOT NULL,
    site_id INTEGER NOT NULL,
    PRIMARY KEY (key_id, site_id)
  );
  CREATE SEQUENCE share_id_seq START 1;
  CREATE TABLE share_links (
    id            INTEGER PRIMARY KEY DEFAULT nextval('share_id_seq'),
    site_id       INTEGER NOT NULL,
    token         VARCHAR NOT NULL UNIQUE,
    password_hash VARCHAR,
    embeddable    BOOLEAN NOT NULL,
    created_at    TIMESTAMP NOT NULL
  );
  CREATE TABLE setup_tokens (
    token_hash VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
  );
  `,
  // Operating systems, devices and screens in Plausible's words (src/enrich/user-agent.ts,
  // screen.ts): rows stored before keep answering the same filters and breakdowns.
  `
  UPDATE events SET os = CASE os WHEN 'macOS' THEN 'Mac' WHEN 'Linux' THEN 'GNU/Linux' ELSE os END
    WHERE os IN ('macOS', 'Linux');
  UPDATE events SET device = upper(device[1]) || device[2:] WHERE device IN ('desktop', 'mobile', 'tablet');
  UPDATE events SET screen = upper(screen[1]) || screen[2:]
    WHERE screen IN ('desktop', 'laptop', 'mobile', 'tablet');
  `,
  // Goals (src/goals/): what a site counts as a conversion. One row per goal: an event name,
  // or a page path (with * wildcards), or a page path with a scroll threshold; up to three
  // required property values as a JSON list of [key, value] pairs (text, so the same row reads
  // the same in any metadata engine). Names are unique per site, checked in the write's turn.
  `
  CREATE SEQUENCE goal_id_seq START 1;
  CREATE TABLE goals (
    id               INTEGER PRIMARY KEY DEFAULT nextval('goal_id_seq'),
    site_id          INTEGER NOT NULL,
    name             VARCHAR NOT NULL,
    event_name       VARCHAR,
    page_path        VARCHAR,
    scroll_threshold INTEGER,
    props            VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL
  );
  `,
  // Password reset and two-factor sign-in (src/auth/password-reset.ts, two-factor.ts). Reset
  // links, pending sign-ins and recovery codes are kept as SHA-256 hashes, like sessions; the
  // TOTP secret must be kept as it is (the server computes codes from it), like share tokens.
  // `totp_last_step` is the last time step a code was accepted for, so no code works twice.
  `
  CREATE TABLE password_resets (
    token_hash VARCHAR PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL
  );
  CREATE TABLE login_challenges (
    token_hash VARCHAR PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    purpose    VARCHAR NOT NULL,
    expires_at TIMESTAMP NOT NULL
  );
  CREATE TABLE two_factor (
    user_id        INTEGER PRIMARY KEY,
    secret         VARCHAR,
    pending_secret VARCHAR,
    last_step      BIGINT
  );
  CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL,
    code_hash VARCHAR NOT NULL,
    PRIMARY KEY (user_id, code_hash)
  );
  CREATE TABLE instance_settings (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
  );
  `,
  // One row per visit beside the events, kept by the loader (visits.ts), filled from the
  // events stored so far.
  VISITS_MIGRATION,
  // Saved segments (src/segments/): named filter sets, personal (owner_id's) or for the whole
  // site; filters as the Stats API's JSON. A share link may be limited to one segment.
  `
  CREATE SEQUENCE segment_id_seq START 1;
  CREATE TABLE segments (
    id         INTEGER PRIMARY KEY DEFAULT nextval('segment_id_seq'),
    site_id    INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    type       VARCHAR NOT NULL,
    owner_id   INTEGER,
    filters    VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  );
  ALTER TABLE share_links ADD COLUMN segment_id INTEGER;
  `,
  // The job ledger (src/jobs/ledger.ts) and each site's retention setting (src/jobs/retention.ts).
  JOBS_MIGRATION,
  // Funnels (src/goals/funnel-input.ts): 2–8 of a site's goals in order, as a JSON list of goal
  // ids (text, as goals' props). Names are unique per site, checked in the write's turn;
  // removing a goal removes the funnels it is a step of (goals.ts).
  `
  CREATE SEQUENCE funnel_id_seq START 1;
  CREATE TABLE funnels (
    id          INTEGER PRIMARY KEY DEFAULT nextval('funnel_id_seq'),
    site_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    funnel_type VARCHAR NOT NULL,
    steps       VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
  );
  `,
  // Daily aggregates imported from Plausible's CSV export (src/import/plausible-tables.ts
  // defines the columns; store/duckdb/imported.ts writes them), one table per file of the
  // export under Plausible's names, each row tagged with its import so an import can be
  // listed and removed whole. They sit in the metadata file in either engine: a site's years
  // of daily rows are small, and the Stats API merges them in (query/imported.ts).
  `
  CREATE SEQUENCE aggregate_import_id_seq START 1;
  CREATE TABLE aggregate_imports (
    id         INTEGER PRIMARY KEY DEFAULT nextval('aggregate_import_id_seq'),
    site_id    INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,
    file       VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    first_date DATE,
    last_date  DATE,
    rows       BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  );
  CREATE TABLE imported_visitors (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    visitors BIGINT NOT NULL, pageviews BIGINT NOT NULL, bounces BIGINT NOT NULL, visits BIGINT NOT NULL,
    visit_duration BIGINT NOT NULL);
  CREATE TABLE imported_sources (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    source VARCHAR NOT NULL, referrer VARCHAR NOT NULL, utm_source VARCHAR NOT NULL, utm_medium VARCHAR NOT NULL,
    utm_campaign VARCHAR NOT NULL, utm_content VARCHAR NOT NULL, utm_term VARCHAR NOT NULL,
    channel VARCHAR NOT NULL, pageviews BIGINT NOT NULL, visitors BIGINT NOT NULL, visits BIGINT NOT NULL,
    visit_duration BIGINT NOT NULL, bounces BIGINT NOT NULL);
  CREATE TABLE imported_pages (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    hostname VARCHAR NOT NULL, page VARCHAR NOT NULL, visits BIGINT NOT NULL, visitors BIGINT NOT NULL,
    pageviews BIGINT NOT NULL, exits BIGINT NOT NULL, total_scroll_depth BIGINT NOT NULL,
    total_scroll_depth_visits BIGINT NOT NULL, total_time_on_page BIGINT NOT NULL,
    total_time_on_page_visits BIGINT NOT NULL);
  CREATE TABLE imported_entry_pages (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    entry_page VARCHAR NOT NULL, visitors BIGINT NOT NULL, entrances BIGINT NOT NULL,
    visit_duration BIGINT NOT NULL, bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  CREATE TABLE imported_exit_pages (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    exit_page VARCHAR NOT NULL, visitors BIGINT NOT NULL, visit_duration BIGINT NOT NULL, exits BIGINT NOT NULL,
    bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  CREATE TABLE imported_custom_events (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    name VARCHAR NOT NULL, link_url VARCHAR NOT NULL, path VARCHAR NOT NULL, visitors BIGINT NOT NULL,
    events BIGINT NOT NULL);
  CREATE TABLE imported_locations (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    country VARCHAR NOT NULL, region VARCHAR NOT NULL, city BIGINT NOT NULL, visitors BIGINT NOT NULL,
    visits BIGINT NOT NULL, visit_duration BIGINT NOT NULL, bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  CREATE TABLE imported_devices (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    device VARCHAR NOT NULL, visitors BIGINT NOT NULL, visits BIGINT NOT NULL, visit_duration BIGINT NOT NULL,
    bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  CREATE TABLE imported_browsers (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    browser VARCHAR NOT NULL, browser_version VARCHAR NOT NULL, visitors BIGINT NOT NULL, visits BIGINT NOT NULL,
    visit_duration BIGINT NOT NULL, bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  CREATE TABLE imported_operating_systems (site_id INTEGER NOT NULL, import_id INTEGER NOT NULL, date DATE NOT NULL,
    operating_system VARCHAR NOT NULL, operating_system_version VARCHAR NOT NULL, visitors BIGINT NOT NULL,
    visits BIGINT NOT NULL, visit_duration BIGINT NOT NULL, bounces BIGINT NOT NULL, pageviews BIGINT NOT NULL);
  `,
  // Revenue (issue 15): an event's amount as an exact decimal (three places, as Plausible's
  // Decimal64(3)) and its ISO 4217 currency, both NULL on events without revenue — every event
  // stored before; a custom-event goal's currency makes it a revenue goal (NULL: not one, as
  // every goal stored before). The visits table is unaffected.
  `
  ALTER TABLE events ADD COLUMN revenue_amount DECIMAL(18,3);
  ALTER TABLE events ADD COLUMN revenue_currency VARCHAR;
  ALTER TABLE goals ADD COLUMN currency VARCHAR;
  `,
  // How far each import of a file got, written in the same transaction as its batch of events
  // (bulk-import.ts), so an interrupted import resumes exactly.
  IMPORT_PROGRESS_MIGRATION,
  // Job periods as leases (issue 17, jobs/ledger.ts): who holds a running period and until
  // when. One node has one holder, but the ledger's SQL is shared with PostgreSQL, where
  // several nodes take turns.
  `
  ALTER TABLE job_runs ADD COLUMN claimed_by VARCHAR;
  ALTER TABLE job_runs ADD COLUMN lease_until TIMESTAMP;
  `,
  // Rollups by salt day (issue 14, rollups.ts): empty until the rollup job fills them.
  ROLLUPS_MIGRATION,
  ROLLUP_VISITS_MIGRATION,
  // Each goal's conversions per salt day, keyed by its definition (rollups.ts).
  ROLLUP_GOALS_MIGRATION,
  // Each salt day's last event, for the rollup job (visits.ts).
  VISIT_DAYS_MIGRATION,
];
