-- pgbench: the statement a status lookup runs (JdbcCouponStore.FIND), for a random one of
-- setup.sql's rows first .. first + count - 1, which no run updates (-D first, count): a
-- set of unused codes the size of the service's status code list.
\set n random(:first, :first + :count - 1)
SELECT code, status, created_at, expires_at, redeemed_at, voided_at, reference, campaign,
	metadata::text AS metadata
FROM coupon WHERE code = bench_code((:n * 25214903917) % 1099511627776);
