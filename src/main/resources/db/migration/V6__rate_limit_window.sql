-- PostgreSQL mode's rate limits as fixed windows changed by one upsert per attempt
-- (PostgresRateLimitBuckets), instead of Bucket4j's rows locked for a transaction of
-- three round trips (V2, V3). One row per bucket: a client address or network and a
-- budget (id, e.g. "redeem:203.0.113.7"); used counts the window's attempts (at most
-- capacity + 1); resets_at (epoch milliseconds) is when the window ends.
--
-- UNLOGGED: no WAL for these writes, so their commits wait for no disk flush. A crash of
-- PostgreSQL, or a failover to a standby, empties the table: every client starts with a
-- fresh budget. Budgets in flight are not worth a flush per request.
DROP TABLE rate_limit_bucket;

CREATE UNLOGGED TABLE rate_limit_window (
    id text PRIMARY KEY,
    used bigint NOT NULL,
    resets_at bigint NOT NULL
);
CREATE INDEX rate_limit_window_resets_at ON rate_limit_window (resets_at);
