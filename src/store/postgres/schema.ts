// The PostgreSQL metadata schema as an ordered list of migrations (postgres/migrate.ts applies
// each once, in a transaction, under an advisory lock). Never edit a shipped migration: add one.
//
// The tables are DuckDB's metadata tables (duckdb/schema.ts) in their final shape — same names,
// same columns in the same order, since the shared store code (store/metadata-sql.ts) inserts
// some rows positionally — so this list starts from today's layout rather than replaying
// DuckDB's history. What differs, and why:
//   - no events, visits, health or ingest_state: events live in ClickHouse, and the load mark
//     is per node (its journal), kept in the node's own DuckDB file;
//   - BYTEA for the salts (PostgreSQL has no BLOB);
//   - epoch_ms(), DuckDB's conversion between epoch milliseconds and TIMESTAMP, as two SQL
//     functions, so the shared statements run unchanged; TIMESTAMP columns hold UTC as in DuckDB;
//   - imported aggregates are not here yet: the Stats API reads them with DuckDB's SQL
//     (query/imported.ts), so they stay in the node's DuckDB file for now.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE FUNCTION epoch_ms(ms BIGINT) RETURNS TIMESTAMP LANGUAGE SQL IMMUTABLE STRICT
    AS $$ SELECT TIMESTAMP '1970-01-01 00:00:00' + ms * INTERVAL '1 millisecond' $$;
  CREATE FUNCTION epoch_ms(ts TIMESTAMP) RETURNS BIGINT LANGUAGE SQL IMMUTABLE STRICT
    AS $$ SELECT (extract(epoch FROM ts) * 1000)::BIGINT $$;

  CREATE SEQUENCE site_id_seq START 1;
  CREATE TABLE sites (
    id         INTEGER PRIMARY KEY DEFAULT nextval('site_id_seq'),
    domain     VARCHAR NOT NULL UNIQUE,
    timezone   VARCHAR NOT NULL DEFAULT 'UTC',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    umami_id   VARCHAR UNIQUE
  );
  CREATE TABLE salts (
    day  DATE PRIMARY KEY,
    salt BYTEA NOT NULL
  );

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
    created_at    TIMESTAMP NOT NULL,
    segment_id    INTEGER
  );
  CREATE TABLE setup_tokens (
    token_hash VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
  );
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

  CREATE SEQUENCE goal_id_seq START 1;
  CREATE TABLE goals (
    id               INTEGER PRIMARY KEY DEFAULT nextval('goal_id_seq'),
    site_id          INTEGER NOT NULL,
    name             VARCHAR NOT NULL,
    event_name       VARCHAR,
    page_path        VARCHAR,
    scroll_threshold INTEGER,
    props            VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    currency         VARCHAR
  );
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
  CREATE SEQUENCE funnel_id_seq START 1;
  CREATE TABLE funnels (
    id          INTEGER PRIMARY KEY DEFAULT nextval('funnel_id_seq'),
    site_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    funnel_type VARCHAR NOT NULL,
    steps       VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
  );

  CREATE TABLE job_runs (
    job         VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    state       VARCHAR NOT NULL,
    failures    INTEGER NOT NULL,
    claimed_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    error       VARCHAR,
    PRIMARY KEY (job, period)
  );
  CREATE TABLE site_retention (
    site_id INTEGER PRIMARY KEY,
    months  INTEGER NOT NULL
  );
  CREATE SEQUENCE report_subscription_id_seq START 1;
  CREATE TABLE report_subscriptions (
    id         INTEGER PRIMARY KEY DEFAULT nextval('report_subscription_id_seq'),
    site_id    INTEGER NOT NULL,
    email      VARCHAR NOT NULL,
    period     VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (site_id, email, period)
  );
  CREATE TABLE alert_rules (
    site_id        INTEGER PRIMARY KEY,
    spike          INTEGER,
    drop_below     INTEGER,
    emails         VARCHAR NOT NULL,
    webhook_url    VARCHAR,
    webhook_format VARCHAR NOT NULL,
    webhook_secret VARCHAR NOT NULL,
    last_spike_at  TIMESTAMP,
    last_drop_at   TIMESTAMP,
    last_delivery  VARCHAR
  );
  `,
  // Several nodes (issue 17): each node's registration (its number keeps its session ids apart
  // from the others', cluster/session-ids.ts; its heartbeat refuses a second live node with the
  // same id), failed sign-in attempts counted across nodes (auth/attempt-limiter.ts; rows older
  // than the window are pruned), and job periods held as leases (jobs/ledger.ts): who holds
  // one and until when, renewed while it runs, so another node takes over a dead node's period.
  `
  CREATE SEQUENCE node_number_seq START 1;
  CREATE TABLE nodes (
    node_id      VARCHAR PRIMARY KEY,
    number       INTEGER NOT NULL UNIQUE DEFAULT nextval('node_number_seq'),
    holder       VARCHAR,
    started_at   TIMESTAMP,
    heartbeat_at TIMESTAMP
  );
  CREATE TABLE attempt_failures (
    id    BIGSERIAL PRIMARY KEY,
    key   VARCHAR NOT NULL,
    at_ms BIGINT NOT NULL
  );
  CREATE INDEX attempt_failures_key ON attempt_failures (key, at_ms);
  CREATE INDEX attempt_failures_at ON attempt_failures (at_ms);
  ALTER TABLE job_runs ADD COLUMN claimed_by VARCHAR;
  ALTER TABLE job_runs ADD COLUMN lease_until TIMESTAMP;
  `,
];
