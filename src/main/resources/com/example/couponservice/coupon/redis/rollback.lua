-- Take out what a failed batch put in (one shard): its pending coupons, and those it
-- committed while they are still untouched (unused, without events). A coupon someone
-- already changed stays. KEYS: the coupon hashes. ARGV: base, batch, codes.
-- Returns how many coupons went.
local batch = ARGV[2]
local removed = 0
for i, key in ipairs(KEYS) do
  local code = ARGV[2 + i]
  local h = load(key)
  if h ~= nil and h.bt == batch then
    if h.pd then
      redis.call('DEL', key)
      removed = removed + 1
    elseif h.s == 'UNUSED' and h.rva == nil and redis.call('EXISTS', base .. 'e:' .. code) == 0 then
      touch({ key }, h)
      index(code, h, -1)
      redis.call('DEL', key)
      removed = removed + 1
    end
  end
end
return removed
