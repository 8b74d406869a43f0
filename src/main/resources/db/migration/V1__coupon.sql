-- Coupons of the PostgreSQL store (profile "postgres"). Every state change the store
-- makes is one UPDATE guarded by the row's current status, so the checks below are the
-- last line of defence: a row can only ever be in one of the three shapes the service
-- knows.
CREATE TABLE coupon (
    -- 8 characters of the coupon alphabet: A-Z and 2-9 without I, O, 0 and 1.
    code        char(8)     PRIMARY KEY
                            CONSTRAINT coupon_code_format CHECK (code ~ '^[A-HJ-NP-Z2-9]{8}$'),
    -- EXPIRED is derived from expires_at at read time, never stored.
    status      varchar(6)  NOT NULL
                            CONSTRAINT coupon_status_known CHECK (status IN ('UNUSED', 'USED', 'VOID')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    redeemed_at timestamptz,
    voided_at   timestamptz,
    reference   varchar(64),
    campaign    varchar(64),
    metadata    jsonb       NOT NULL DEFAULT '{}'
                            CONSTRAINT coupon_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    -- redeemed_at is set exactly when the coupon is used, voided_at exactly when void,
    -- and only a used coupon carries the redeemer's reference.
    CONSTRAINT coupon_redeemed_when_used CHECK ((status = 'USED') = (redeemed_at IS NOT NULL)),
    CONSTRAINT coupon_voided_when_void CHECK ((status = 'VOID') = (voided_at IS NOT NULL)),
    CONSTRAINT coupon_reference_only_when_used CHECK (reference IS NULL OR status = 'USED')
);

-- Campaign stats count a campaign's coupons by status, and by expiry for the unused
-- ones: with all three columns in the index the count is an index-only scan. Most
-- coupons have no campaign, so they stay out of it.
CREATE INDEX coupon_campaign_status ON coupon (campaign, status, expires_at) WHERE campaign IS NOT NULL;
