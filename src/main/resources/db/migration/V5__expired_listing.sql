-- GET /coupons?status=EXPIRED (and the EXPIRED count): the unused coupons whose expiry has
-- passed. Without this index such a listing walks every unused coupon in code order to
-- find the expired ones among them.
CREATE INDEX coupon_unused_expiry ON coupon (expires_at) WHERE status = 'UNUSED' AND expires_at IS NOT NULL;
