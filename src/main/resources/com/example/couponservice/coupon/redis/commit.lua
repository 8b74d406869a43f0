-- Make the pending coupons of a batch visible (one shard): drop the pending mark and the
-- expiry, index and count them. KEYS: the coupon hashes. ARGV: base, batch, codes.
-- Returns the codes that were no longer pending for this batch (expired, or lost with a
-- failed-over master): the batch cannot be committed whole.
local batch = ARGV[2]
local lost = {}
for i, key in ipairs(KEYS) do
  local code = ARGV[2 + i]
  local h = load(key)
  if h == nil or h.bt ~= batch then
    lost[#lost + 1] = code
  elseif h.pd then
    h.pd = nil
    touch({ key }, h)
    redis.call('HDEL', key, 'pd')
    redis.call('PERSIST', key)
    index(code, h, 1)
  end
end
return lost
