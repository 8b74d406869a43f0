-- Rate-limit buckets shared by every instance (Bucket4j's PostgreSQL integration).
-- id is "<endpoint>:<client key>", e.g. "redeem:203.0.113.7" or "status:2001:db8:1:2:0:0:0:0/64".
-- state is Bucket4j's serialised bucket; expires_at (epoch milliseconds) is when the
-- bucket is full again, after which the row may be deleted.
CREATE TABLE rate_limit_bucket (
    id         varchar(128) PRIMARY KEY,
    state      bytea,
    expires_at bigint
);

CREATE INDEX rate_limit_bucket_expires_at ON rate_limit_bucket (expires_at);
