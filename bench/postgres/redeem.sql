-- pgbench: the service's whole redemption statement (JdbcCouponStore.REDEEM, with its
-- event INSERT and the trim guard, as the service sends it with reference and customer
-- NULL, a client address, and coupon.events.max-per-coupon's default of 100 - 1 kept),
-- on a fresh row every time, as update.sql. update.sql is the issue's reference (a
-- single-row UPDATE ... RETURNING); this one is the same work the service asks of the
-- database for a redemption, so service / this ratio is what the service loses outside
-- PostgreSQL, and update.sql / this is what the audit event costs the database.
\set n :base + :client_id + :nclients * :i
\set i :i + 1
WITH changed AS (
	UPDATE coupon SET
		last_outcome = (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END),
		status = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' THEN 'USED' ELSE status END,
		redeemed_at = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' THEN now() ELSE redeemed_at END,
		reference = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' THEN NULL ELSE reference END,
		customer_id = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' AND NOT customer_bound THEN NULL
			ELSE customer_id END,
		reversed_at = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' THEN NULL ELSE reversed_at END,
		reversal_reference = CASE WHEN (CASE WHEN customer_bound AND customer_id IS DISTINCT FROM NULL THEN 'CUSTOMER_MISMATCH'
			WHEN status = 'VOID' THEN 'VOID'
			WHEN status = 'USED' AND reference IS NOT DISTINCT FROM NULL THEN 'REPEATED'
			WHEN status = 'USED' THEN 'ALREADY_REDEEMED'
			WHEN expires_at <= now() THEN 'EXPIRED'
			ELSE 'REDEEMED' END) = 'REDEEMED' THEN NULL ELSE reversal_reference END,
		event_seq = event_seq + 1
	WHERE code = bench_code((:n * 25214903917) % 1099511627776)
	RETURNING *
), event AS (
	INSERT INTO coupon_event (code, seq, kind, at, outcome, reference, customer_id, client)
	SELECT code, event_seq, CASE last_outcome WHEN 'REDEEMED' THEN 'REDEEMED'
			WHEN 'REPEATED' THEN 'REDEMPTION_REPEATED' ELSE 'REDEMPTION_REFUSED' END,
		now(), CASE WHEN last_outcome IN ('REDEEMED', 'REPEATED') THEN NULL ELSE lower(last_outcome) END,
		CAST(NULL AS varchar), CAST(NULL AS varchar), CAST('198.51.100.1' AS varchar)
	FROM changed
), trimmed AS (
	DELETE FROM coupon_event e USING changed c
	WHERE c.event_seq > 99 AND e.code = c.code AND e.seq <= c.event_seq - 99
)
SELECT last_outcome AS outcome, code, status, created_at, expires_at, redeemed_at, voided_at, reference,
	campaign, metadata::text AS metadata, customer_id, customer_bound, reversed_at, reversal_reference
FROM changed;
