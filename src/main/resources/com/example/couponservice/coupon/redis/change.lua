-- Redeem, validate, void or reverse one coupon in one atomic step: decide the outcome by
-- the rules of Coupon (redeemOutcome, validationOutcome, voidOutcome, reverseOutcome) on
-- the coupon as it is, change it, move its index entries and counts, and append the
-- event, bounded to maxEvents - 1 (GENERATED is derived from the coupon).
-- KEYS[1]: the coupon hash. ARGV: base, op, code, maxEvents, now (ms), reference,
-- customer, client, reason (the last four optional, see opt).
-- Returns {outcome} when there is no (visible) coupon, else {outcome, coupon fields}.
local op, code, max_events, now = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local ref, cust, client, reason = opt(ARGV[6]), opt(ARGV[7]), opt(ARGV[8]), opt(ARGV[9])
local key = KEYS[1]
local h = load(key)
if h == nil or h.pd then
  return { 'NOT_FOUND' }
end
local now_ms = tonumber(now)
local bound = h.cb == '1'
local mine = (not bound) or h.cu == cust
local outcome, after, event

if op == 'redeem' then
  if not mine then
    outcome = 'CUSTOMER_MISMATCH'
  elseif h.s == 'VOID' then
    outcome = 'VOID'
  elseif h.s == 'USED' then
    outcome = (h.ref == ref) and 'REPEATED' or 'ALREADY_REDEEMED'
  elseif status_at(h, now_ms) == 'EXPIRED' then
    outcome = 'EXPIRED'
  else
    outcome = 'REDEEMED'
  end
  local kind, tag = 'REDEMPTION_REFUSED', string.lower(outcome)
  if outcome == 'REDEEMED' then
    kind, tag = 'REDEEMED', nil
    after = copy(h)
    after.s, after.ra, after.va, after.ref, after.rva, after.rvr = 'USED', now, nil, ref, nil, nil
    if not bound then
      after.cu = cust
    end
  elseif outcome == 'REPEATED' then
    kind, tag = 'REDEMPTION_REPEATED', nil
  end
  event = { k = kind, at = now, o = tag, r = ref, c = cust, ip = client }
elseif op == 'validate' then
  if not mine then
    outcome = 'CUSTOMER_MISMATCH'
  elseif h.s == 'VOID' then
    outcome = 'VOID'
  elseif h.s == 'USED' then
    outcome = 'USED'
  elseif status_at(h, now_ms) == 'EXPIRED' then
    outcome = 'EXPIRED'
  else
    outcome = 'VALID'
  end
  event = { k = 'VALIDATED', at = now, o = string.lower(outcome), c = cust, ip = client }
elseif op == 'void' then
  if h.s == 'VOID' then
    outcome = 'ALREADY_VOID'
  elseif h.s == 'USED' then
    outcome = 'USED'
  else
    outcome = 'VOIDED'
    after = copy(h)
    after.s, after.ra, after.va, after.ref, after.rva, after.rvr = 'VOID', nil, now, nil, nil, nil
    if not bound then
      after.cu = nil
    end
    event = { k = 'VOIDED', at = now, r = ref, c = cust, ip = client }
  end
elseif op == 'reverse' then
  if h.s == 'VOID' then
    outcome = 'VOID'
  elseif h.s == 'USED' then
    outcome = (h.ref == ref) and 'REVERSED' or 'REFERENCE_MISMATCH'
  elseif h.rva ~= nil and h.rvr == ref then
    outcome = 'ALREADY_REVERSED'
  else
    outcome = 'NOT_REDEEMED'
  end
  if outcome == 'REVERSED' then
    after = copy(h)
    after.s, after.ra, after.va, after.ref, after.rva, after.rvr = 'UNUSED', nil, nil, nil, now, ref
    if not bound then
      after.cu = nil
    end
    event = { k = 'REVERSED', at = now, r = ref, c = cust, ip = client, why = reason }
  end
else
  return redis.error_reply('unknown operation ' .. op)
end

local events_key = base .. 'e:' .. code
if after ~= nil then
  touch({ key, events_key }, h, after)
  index(code, h, -1)
  local removed = {}
  for field in pairs(h) do
    if after[field] == nil then
      removed[#removed + 1] = field
    end
  end
  if #removed > 0 then
    redis.call('HDEL', key, unpack(removed))
  end
  redis.call('HSET', key, unpack(flatten(after)))
  index(code, after, 1)
elseif event ~= nil then
  touch({ key, events_key })
end
if event ~= nil then
  redis.call('RPUSH', events_key, cjson.encode(event))
  redis.call('LTRIM', events_key, 1 - max_events, -1)
end
return { outcome, flatten(after or h) }
