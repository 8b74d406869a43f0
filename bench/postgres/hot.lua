-- The hot client: one address (X-Forwarded-For: ADDRESS) guessing codes as fast as it
-- can, a redeem then a status lookup in turn, each of a random well-formed code. At the
-- default budgets (5 redemptions and 60 lookups a minute) nearly every request is a 429.
-- It counts its answers by status (a response() hook: a little wrk CPU per response, on
-- this one client only) and prints them as one HOT_RESULT line after common.lua's line.
-- Usage: wrk -t1 -c16 -d10s --latency -s bench/postgres/hot.lua URL -- ADDRESS
local clients = dofile((os.getenv("BENCH_PG_DIR") or "bench/postgres") .. "/clients.lua")

local ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
local GUESSES = 1000
local next_request

local threads = {}

function setup(thread)
  clients.setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  local address = args[1] or error("pass the hot client's address after --")
  math.randomseed(20261126 + (thread_id or 0))
  local requests = {}
  for _ = 1, GUESSES do
    local chars = {}
    for c = 1, 8 do
      local r = math.random(#ALPHABET)
      chars[c] = ALPHABET:sub(r, r)
    end
    local code = table.concat(chars)
    requests[#requests + 1] = clients.redeem(code, address)
    requests[#requests + 1] = clients.status(code, address)
  end
  next_request = clients.sequence(requests)
end

function request()
  return next_request()
end

-- Answers by status, per thread; done() adds them up.
s429, s503, s2xx, s4xx, other = 0, 0, 0, 0, 0
function response(status)
  if status == 429 then
    s429 = s429 + 1
  elseif status == 503 then
    s503 = s503 + 1
  elseif status < 300 then
    s2xx = s2xx + 1
  elseif status < 500 then
    s4xx = s4xx + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  clients.done(summary, latency, requests)
  local sum = { s429 = 0, s503 = 0, s2xx = 0, s4xx = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(sum) do
      sum[name] = sum[name] + thread:get(name)
    end
  end
  io.write(string.format("HOT_RESULT s429=%d s503=%d s2xx=%d s4xx=%d other=%d\n",
    sum.s429, sum.s503, sum.s2xx, sum.s4xx, sum.other))
end
