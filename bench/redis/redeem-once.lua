-- POST /redeem-coupon {"code":"...","reference":"order-<n>"}, each code of the file exactly
-- once (the wrk threads take disjoint slices of it, as bench/postgres/redeem-fresh.lua),
-- then GET /noop until wrk is stopped: bench/redis/memory.sh watches the service's
-- coupon_redemptions_total{outcome="redeemed"} and stops wrk with SIGINT once every code
-- is redeemed (wrk itself only stops after -d). The noops change nothing in the store.
-- Usage: wrk -t2 -c16 -d600s -s bench/redis/redeem-once.lua URL -- codes.txt THREADS
local clients = dofile((os.getenv("BENCH_PG_DIR") or "bench/postgres") .. "/clients.lua")

local requests, sent, checked, noop

setup = clients.setup

function init(args)
  local threads = tonumber(args[2]) or error("pass the number of wrk threads after the code file")
  requests, sent = {}, 0
  noop = wrk.format("GET", "/noop")   -- here, not at load time: wrk adds Host before init
  -- wrk calls the first thread's request() once before the run to check it
  -- (script_verify_request) and never sends that one: it must not use up a code.
  checked = (thread_id ~= 0)
  for _, entry in ipairs(clients.slice(clients.load_codes(args[1]), thread_id, threads)) do
    requests[#requests + 1] = wrk.format("POST", "/redeem-coupon", { ["Content-Type"] = "application/json" },
      '{"code":"' .. entry[2] .. '","reference":"order-' .. entry[1] .. '"}')
  end
end

function request()
  if not checked then
    checked = true
    return requests[1]
  end
  if sent < #requests then
    sent = sent + 1
    return requests[sent]
  end
  return noop
end

done = clients.done
