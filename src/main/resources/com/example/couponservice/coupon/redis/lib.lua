-- Shared by every script of RedisCouponStore (prepended to each). ARGV[1] is the shard's
-- key base, e.g. "coupon:{AB}:"; every key a script touches starts with it, so all of
-- them are in the slot of the shard's hash tag.
local base = ARGV[1]

-- An optional argument: "" is absent, "=value" is value (so "=" is the empty string).
local function opt(value)
  if value == nil or value == '' then
    return nil
  end
  return string.sub(value, 2)
end

-- The coupon hash as a table of fields, or nil when there is none.
local function load(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then
    return nil
  end
  local h = {}
  for i = 1, #flat, 2 do
    h[flat[i]] = flat[i + 1]
  end
  return h
end

local function flatten(h)
  local out = {}
  for field, value in pairs(h) do
    out[#out + 1] = field
    out[#out + 1] = value
  end
  return out
end

local function copy(h)
  local c = {}
  for field, value in pairs(h) do
    c[field] = value
  end
  return c
end

-- The sorted sets a visible coupon belongs to, with its score in each: every code, its
-- stored status, its campaign, its customer, and (while unused with an expiry) the
-- expiry indexes that let EXPIRED be counted at read time.
local function memberships(h)
  local m = { { base .. 'all', 0 }, { base .. 'st:' .. h.s, 0 } }
  if h.camp then
    m[#m + 1] = { base .. 'ca:' .. h.camp, 0 }
  end
  if h.cu then
    m[#m + 1] = { base .. 'cu:' .. h.cu, 0 }
  end
  if h.s == 'UNUSED' and h.ex then
    m[#m + 1] = { base .. 'xp', h.ex }
    if h.camp then
      m[#m + 1] = { base .. 'xc:' .. h.camp, h.ex }
    end
  end
  return m
end

-- Touch every key a change will write before the first write. Redis does not roll a
-- script back: a key that is not local (its slot half-migrated during a resharding)
-- must fail the script here, before it has changed anything.
local function touch(keys, ...)
  for _, h in ipairs({ ... }) do
    for _, entry in ipairs(memberships(h)) do
      keys[#keys + 1] = entry[1]
    end
    if h.camp then
      keys[#keys + 1] = base .. 'nc:' .. h.camp
    end
  end
  redis.call('EXISTS', unpack(keys))
end

-- Add (sign 1) or remove (sign -1) a visible coupon's index entries and its count.
local function index(code, h, sign)
  for _, entry in ipairs(memberships(h)) do
    if sign > 0 then
      redis.call('ZADD', entry[1], entry[2], code)
    else
      redis.call('ZREM', entry[1], code)
    end
  end
  if h.camp then
    redis.call('HINCRBY', base .. 'nc:' .. h.camp, h.s, sign)
  end
end

-- The stored status a lookup reports at now (milliseconds): EXPIRED is derived.
local function status_at(h, now)
  if h.s == 'UNUSED' and h.ex and now >= tonumber(h.ex) then
    return 'EXPIRED'
  end
  return h.s
end
