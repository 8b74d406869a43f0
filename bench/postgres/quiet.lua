-- The well-behaved clients of the hot-client scenario: a redeem of a fresh code, then a
-- status lookup of a known code, in turn; pair k comes from address
-- FIRST + ((k - 1) mod A) of 198.18.0.0/15, A = ceil(pairs / USES), so no address sends
-- more than USES redemptions and USES lookups (run.sh: 4 of each, under the default
-- budgets of 5 and 60 per minute) however fast the run goes, and consecutive pairs come
-- from different addresses, as customers do. Any 429 here is a bug or a too short list.
-- Usage: wrk -t1 -c63 -d10s --latency -s bench/postgres/quiet.lua URL -- redeem-codes.txt status-codes.txt THREADS FIRST USES
local clients = dofile((os.getenv("BENCH_PG_DIR") or "bench/postgres") .. "/clients.lua")

local next_request

setup = clients.setup

function init(args)
  local redeem_codes = clients.load_codes(args[1])
  local status_codes = clients.load_codes(args[2])
  local threads = tonumber(args[3]) or error("pass THREADS FIRST USES after the code files")
  local first = tonumber(args[4]) or error("pass THREADS FIRST USES after the code files")
  local uses = tonumber(args[5]) or error("pass THREADS FIRST USES after the code files")
  local addresses = math.ceil(#redeem_codes / uses)
  local requests = {}
  for _, entry in ipairs(clients.slice(redeem_codes, thread_id, threads)) do
    local k = entry[1]
    local address = clients.bench_net(first + (k - 1) % addresses)
    requests[#requests + 1] = clients.redeem(entry[2], address)
    requests[#requests + 1] = clients.status(status_codes[(k - 1) % #status_codes + 1], address)
  end
  next_request = clients.sequence(requests)
end

function request()
  return next_request()
end

done = clients.done
