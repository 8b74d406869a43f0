-- pgbench: the single-row UPDATE ... RETURNING a redemption comes down to, the issue's
-- reference (redeem.sql is the service's whole statement), with the columns it returns,
-- on a fresh row every time. Client c's i-th transaction (i = 0, 1, ...) takes
-- row base + c + nclients * i of setup.sql's rows, so no row is taken twice in a run and
-- every transaction changes one row; run.sh gives each run its own range of rows (-D base,
-- nclients, i=0) and checks afterwards that the run used exactly one row per transaction.
-- reference = NULL: the service's redeem scenario sends no reference either.
\set n :base + :client_id + :nclients * :i
\set i :i + 1
UPDATE coupon SET status = 'USED', redeemed_at = now(), reference = NULL
WHERE code = bench_code((:n * 25214903917) % 1099511627776) AND status = 'UNUSED'
	AND (expires_at IS NULL OR expires_at > now())
RETURNING code, status, created_at, expires_at, redeemed_at, voided_at, reference, campaign,
	metadata::text AS metadata;
