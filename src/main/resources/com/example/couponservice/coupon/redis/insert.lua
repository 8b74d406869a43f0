-- Create coupons of one shard unless their codes are taken.
-- KEYS: the coupon hashes. ARGV: base, mode, batch, ttl, then per coupon: code, field
-- count, fields and values. Mode "new" makes each coupon visible at once (indexed and
-- counted); mode "pending" writes it invisible, owned by the batch and expiring after ttl
-- milliseconds, for the commit script to make visible. A pending coupon of the same
-- batch (an earlier attempt of the very same batch) is taken over, not reported.
-- Returns the codes that were taken.
local mode, batch, ttl = ARGV[2], ARGV[3], ARGV[4]
local taken = {}
local pos = 5
for _, key in ipairs(KEYS) do
  local code = ARGV[pos]
  local count = tonumber(ARGV[pos + 1])
  local fields = {}
  local h = {}
  for i = 0, count - 1 do
    local field, value = ARGV[pos + 2 + 2 * i], ARGV[pos + 3 + 2 * i]
    fields[#fields + 1] = field
    fields[#fields + 1] = value
    h[field] = value
  end
  pos = pos + 2 + 2 * count
  local owner = redis.call('HMGET', key, 'pd', 'bt')
  if redis.call('EXISTS', key) == 1 then
    if mode == 'pending' and owner[1] == '1' and owner[2] == batch then
      redis.call('PEXPIRE', key, ttl)
    else
      taken[#taken + 1] = code
    end
  elseif mode == 'pending' then
    redis.call('HSET', key, 'pd', '1', 'bt', batch, unpack(fields))
    redis.call('PEXPIRE', key, ttl)
  else
    touch({ key }, h)
    redis.call('HSET', key, unpack(fields))
    index(code, h, 1)
  end
end
return taken
