-- Shared by the wrk scripts of bench/postgres/run.sh (loaded with dofile, like
-- bench/http/common.lua, whose done() and setup() it re-exports). Client addresses go in
-- X-Forwarded-For; the server trusts that header only from its loopback proxy (run.sh's
-- PROXY_ARGS), so each address below is a client with its own rate-limit budget.
local common = dofile((os.getenv("BENCH_HTTP_DIR") or "bench/http") .. "/common.lua")
local clients = {}

clients.load_codes = common.load_codes
clients.setup = common.setup
clients.done = common.done

-- The codes of `codes` this thread owns when `threads` threads share the list: every
-- threads-th one from thread_id + 1, so no two threads ever send the same code. Each
-- entry is {index in the whole list, code}.
function clients.slice(codes, thread_id, threads)
  local mine = {}
  for k = (thread_id or 0) + 1, #codes, threads do
    mine[#mine + 1] = { k, codes[k] }
  end
  assert(#mine > 0, "fewer codes than threads")
  return mine
end

-- Requests handed out in list order; after the last one the list starts again (run.sh
-- detects that from the service's metrics: a second pass redeems nothing new).
function clients.sequence(requests)
  local i, n = 0, #requests
  return function()
    i = i % n + 1
    return requests[i]
  end
end

-- Address n (1..254) of 198.51.100.0/24 (TEST-NET-2, RFC 5737): the named clients.
function clients.test_net(n)
  assert(n >= 1 and n <= 254, "198.51.100.x: 1 <= n <= 254")
  return "198.51.100." .. n
end

-- Address n (1..131070) of 198.18.0.0/15, the range RFC 2544 sets aside for benchmarks:
-- enough addresses for every quiet client of a run to be a new one.
function clients.bench_net(n)
  assert(n >= 1 and n <= 131070, "198.18.0.0/15: 1 <= n <= 131070")
  return string.format("198.%d.%d.%d", 18 + math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
end

function clients.redeem(code, address)
  local headers = { ["Content-Type"] = "application/json" }
  if address then
    headers["X-Forwarded-For"] = address
  end
  return wrk.format("POST", "/redeem-coupon", headers, '{"code":"' .. code .. '"}')
end

function clients.status(code, address)
  local headers = {}
  if address then
    headers["X-Forwarded-For"] = address
  end
  return wrk.format("GET", "/coupon-status?code=" .. code, headers)
end

return clients
