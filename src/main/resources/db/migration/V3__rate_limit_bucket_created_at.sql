-- When a bucket row was created. Bucket4j inserts a row with a NULL state and fills it in
-- the same transaction; a transaction cut off in between leaves a row that never expires
-- (expires_at is NULL too). The cleanup deletes such rows once they are older than the
-- longest rate-limit window.
ALTER TABLE rate_limit_bucket ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

CREATE INDEX rate_limit_bucket_unfilled ON rate_limit_bucket (created_at) WHERE state IS NULL;
