-- One shard's counts by the status a lookup reports at now: the stored counts (per
-- campaign from its counter hash, for all coupons from the status indexes) with the
-- unused ones past their expiry counted as EXPIRED instead.
-- KEYS[1]: the shard's index of every code (for routing). ARGV: base, now, campaign
-- (optional, see opt). Returns {unused, used, expired, void}.
local now, camp = ARGV[2], opt(ARGV[3])
local unused, used, void, expired
if camp then
  local counts = redis.call('HMGET', base .. 'nc:' .. camp, 'UNUSED', 'USED', 'VOID')
  unused, used, void = tonumber(counts[1]) or 0, tonumber(counts[2]) or 0, tonumber(counts[3]) or 0
  expired = redis.call('ZCOUNT', base .. 'xc:' .. camp, '-inf', now)
else
  unused = redis.call('ZCARD', base .. 'st:UNUSED')
  used = redis.call('ZCARD', base .. 'st:USED')
  void = redis.call('ZCARD', base .. 'st:VOID')
  expired = redis.call('ZCOUNT', base .. 'xp', '-inf', now)
end
return { unused - expired, used, expired, void }
