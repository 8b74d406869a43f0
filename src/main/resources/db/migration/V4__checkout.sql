-- Checkout: customer-bound coupons, reversals, and each coupon's history.

-- Codes compare and sort byte by byte ("C"), as the other stores order them: digits
-- before letters, whatever the database's default collation is.
ALTER TABLE coupon ALTER COLUMN code TYPE char(8) COLLATE "C";

ALTER TABLE coupon
    -- The customer the coupon is bound to (customer_bound), or who redeemed it.
    ADD COLUMN customer_id        varchar(64),
    ADD COLUMN customer_bound     boolean     NOT NULL DEFAULT false,
    -- The last reversal of a redemption, kept while the coupon is unused again, so a
    -- repeat of that reversal is recognised.
    ADD COLUMN reversed_at        timestamptz,
    ADD COLUMN reversal_reference varchar(64),
    -- The sequence number of the coupon's latest event (0: only GENERATED, derived).
    ADD COLUMN event_seq          integer     NOT NULL DEFAULT 0,
    -- The outcome of the last operation on the coupon, decided by the same UPDATE that
    -- applies it, so the statement can return it (see JdbcCouponStore).
    ADD COLUMN last_outcome       varchar(24),
    ADD CONSTRAINT coupon_bound_has_customer CHECK (NOT customer_bound OR customer_id IS NOT NULL),
    ADD CONSTRAINT coupon_reversed_only_when_unused CHECK (reversed_at IS NULL OR status = 'UNUSED');

-- Every event after GENERATED (which is derived from the coupon row), written by the
-- same statement as the change it records. At most coupon.events.max-per-coupon - 1 per
-- coupon are kept (the same statement trims the oldest); coupon.events.retention is
-- enforced by a scheduled, batched delete on "at".
CREATE TABLE coupon_event (
    code        char(8) COLLATE "C" NOT NULL,
    seq         integer      NOT NULL,
    kind        varchar(24)  NOT NULL,
    at          timestamptz  NOT NULL,
    outcome     varchar(24),
    reference   varchar(64),
    customer_id varchar(64),
    client      varchar(64),
    reason      varchar(256),
    PRIMARY KEY (code, seq)
);

CREATE INDEX coupon_event_at ON coupon_event (at);

-- Listing walks coupons in code order after a code; one index serves each filter.
CREATE INDEX coupon_campaign_code ON coupon (campaign, code) WHERE campaign IS NOT NULL;
CREATE INDEX coupon_customer_code ON coupon (customer_id, code) WHERE customer_id IS NOT NULL;
CREATE INDEX coupon_status_code ON coupon (status, code);
