-- GET /coupon-status?code=... rotating through known codes (one a line in the file), each
-- request from one of CLIENTS addresses (X-Forwarded-For: 198.51.100.1 .. CLIENTS, in
-- turn), so the rate limiter keeps CLIENTS budgets, not one.
-- Usage: wrk -t2 -c64 -d10s --latency -s bench/postgres/status-clients.lua URL -- codes.txt CLIENTS
local clients = dofile((os.getenv("BENCH_PG_DIR") or "bench/postgres") .. "/clients.lua")

local next_request

setup = clients.setup

function init(args)
  local named = tonumber(args[2]) or error("pass the number of client addresses after the code file")
  local codes = clients.load_codes(args[1])
  local requests = {}
  -- Each thread starts at its own place in the list, as bench/http/status.lua does.
  local first = math.floor(#codes * (((thread_id or 0) * 0.6180339887) % 1))
  for k = 1, #codes do
    local index = (first + k - 1) % #codes + 1
    requests[k] = clients.status(codes[index], clients.test_net(index % named + 1))
  end
  next_request = clients.sequence(requests)
end

function request()
  return next_request()
end

done = clients.done
