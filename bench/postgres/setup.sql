-- The rows pgbench works on, in the service's own coupon table (psql -v rows=N; run.sh
-- runs it once Flyway has created the schema, before the service makes any code).
--
-- Row n (1..rows) holds code bench_code(scatter(n)): n times an odd constant modulo
-- 2^40 is a bijection of the 40-bit code space, so the codes are distinct and spread
-- over the whole primary-key index as the service's random codes are, and pgbench can
-- name row n's code from n alone (update.sql, select.sql). The rows have the shape of
-- POST /generate-coupons' rows: UNUSED, created now, no expiry, campaign or metadata.

-- Code number n (0 <= n < 2^40) as 8 characters of the coupon alphabet, 5 bits each. A
-- single SELECT of IMMUTABLE functions: the planner inlines it and computes it once per
-- statement, so "code = bench_code(...)" is a primary-key lookup, as in the service.
CREATE OR REPLACE FUNCTION bench_code(n bigint) RETURNS char(8)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT (substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 35) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 30) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 25) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 20) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 15) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 10) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ((n >> 5) & 31)::int + 1, 1)
		|| substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (n & 31)::int + 1, 1))::char(8)
$$;

-- 25214903917 (0x5DEECE66D) is odd, so multiplying by it is a bijection modulo 2^40;
-- the same expression is in update.sql and select.sql. n < 2^38 keeps the product in a
-- bigint.
INSERT INTO coupon (code, status, created_at)
SELECT bench_code((n * 25214903917) % 1099511627776), 'UNUSED', now()
FROM generate_series(1, :rows) AS n;
