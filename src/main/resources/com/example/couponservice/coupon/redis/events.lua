-- A coupon and its stored events, read together. KEYS[1]: the coupon hash, KEYS[2]: its
-- events. Returns {} when there is no (visible) coupon, else {fields, events}.
local h = load(KEYS[1])
if h == nil or h.pd then
  return {}
end
return { flatten(h), redis.call('LRANGE', KEYS[2], 0, -1) }
