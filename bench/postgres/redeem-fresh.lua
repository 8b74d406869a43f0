-- POST /redeem-coupon {"code":"..."}, each code of the file exactly once: the wrk threads
-- take disjoint slices of it, so every request redeems a fresh code (UPDATE ... WHERE
-- status = 'UNUSED' changes a row, like every transaction of update.sql). bench/http's
-- redeem.lua instead walks one list from every thread and mostly measures repeats.
-- Run it with more codes than the run can send; run.sh checks from the service's
-- coupon_redemptions_total{outcome="redeemed"} that every request redeemed one.
-- With CLIENTS > 0, request k also carries X-Forwarded-For: 198.51.100.(k mod CLIENTS + 1).
-- Usage: wrk -t2 -c64 -d10s --latency -s bench/postgres/redeem-fresh.lua URL -- codes.txt THREADS [CLIENTS]
local clients = dofile((os.getenv("BENCH_PG_DIR") or "bench/postgres") .. "/clients.lua")

local next_request

setup = clients.setup

function init(args)
  local threads = tonumber(args[2]) or error("pass the number of wrk threads after the code file")
  local named = tonumber(args[3] or "0")
  local requests = {}
  for _, entry in ipairs(clients.slice(clients.load_codes(args[1]), thread_id, threads)) do
    local address = (named > 0) and clients.test_net(entry[1] % named + 1) or nil
    requests[#requests + 1] = clients.redeem(entry[2], address)
  end
  next_request = clients.sequence(requests)
end

function request()
  return next_request()
end

done = clients.done
