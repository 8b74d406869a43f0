-- A steady mix of generate, redeem and status requests for wrk.
--
-- Weights are percentages from the environment: GENERATE_PCT (default 20),
-- REDEEM_PCT (default 30); the rest are status lookups. Each wrk thread redeems
-- the codes its own generate requests returned (a fresh code once, then now and
-- then a repeat of one already redeemed, which answers 200 alreadyRedeemed:true),
-- and looks up codes it has seen, plus an unknown one now and then (200
-- NOT_FOUND). Every answer of a healthy service is 2xx; done() prints the
-- status counts, so anything else stands out.

local generate_pct = tonumber(os.getenv("GENERATE_PCT") or "20")
local redeem_pct = tonumber(os.getenv("REDEEM_PCT") or "30")

local json = { ["Content-Type"] = "application/json" }
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua state).
local fresh = {}        -- generated, not yet redeemed
local seen = {}         -- every code seen, a ring of the last 10,000
local seen_next = 1
local redeemed = {}     -- a ring of the last 1,000 redeemed
local redeemed_next = 1
statuses = {}

function init(args)
   math.randomseed(os.time() * 1000 + (id or 0))
end

local function remember(ring, code, size, at)
   ring[at] = code
   return (at % size) + 1
end

local function generate()
   return wrk.format("POST", "/generate-coupon", json, "{}")
end

function request()
   local r = math.random(100)
   if r <= generate_pct or #seen == 0 then
      return generate()
   end
   if r <= generate_pct + redeem_pct then
      local code
      if #redeemed > 0 and math.random(10) == 1 then
         code = redeemed[math.random(#redeemed)]
      else
         code = table.remove(fresh)
         if code == nil and #redeemed > 0 then
            -- No fresh code: repeat a redeemed one rather than generate, so that
            -- GENERATE_PCT alone sets how fast the data set grows.
            code = redeemed[math.random(#redeemed)]
         elseif code == nil then
            return generate()
         else
            redeemed_next = remember(redeemed, code, 1000, redeemed_next)
         end
      end
      return wrk.format("POST", "/redeem-coupon", json, '{"code":"' .. code .. '"}')
   end
   local code
   if math.random(20) == 1 then
      code = "ZZZZ-ZZZZ"
   else
      code = seen[math.random(#seen)]
   end
   return wrk.format("GET", "/coupon-status?code=" .. code)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status == 201 then
      local code = body:match('^{"code":"(%w+)"')
      if code then
         table.insert(fresh, code)
         seen_next = remember(seen, code, 10000, seen_next)
      end
   end
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, n in pairs(counts) do
         totals[status] = (totals[status] or 0) + n
      end
   end
   local keys = {}
   for status in pairs(totals) do
      table.insert(keys, status)
   end
   table.sort(keys)
   local parts = {}
   for _, status in ipairs(keys) do
      table.insert(parts, status .. "=" .. totals[status])
   end
   io.write("STATUS " .. table.concat(parts, " ") .. "\n")
   io.write(string.format("SUMMARY requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d "
      .. "errors_timeout=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
      summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
