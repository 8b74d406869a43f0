-- One shard's part of a listing: walk an index in code order from ARGV[2] (a ZRANGEBYLEX
-- bound) and return the coupons that match the filters at now, up to limit, having
-- looked at no more than budget index entries (a script blocks its node while it runs).
-- KEYS[1]: the index. ARGV: base, from, limit, budget, now, campaign, status, customer
-- (the last three optional, see opt).
-- Returns {exhausted (1 when the index has nothing after the last code looked at), the
-- last code looked at (or ""), then code and fields of each match}.
local from, limit, budget, now = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local camp, status, cust = opt(ARGV[6]), opt(ARGV[7]), opt(ARGV[8])
local out = { 0, '' }
local found, scanned = 0, 0
while true do
  local batch = math.min(budget - scanned, 128)
  local codes = redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, batch)
  for _, code in ipairs(codes) do
    scanned = scanned + 1
    out[2] = code
    local h = load(base .. 'c:' .. code)
    if h ~= nil and not h.pd and (camp == nil or h.camp == camp) and (cust == nil or h.cu == cust)
        and (status == nil or status_at(h, now) == status) then
      found = found + 1
      out[#out + 1] = code
      out[#out + 1] = flatten(h)
      if found == limit then
        -- Whether anything follows is for the next call to find out.
        return out
      end
    end
  end
  if #codes < batch then
    out[1] = 1
    return out
  end
  if scanned >= budget then
    return out
  end
  from = '(' .. out[2]
end
