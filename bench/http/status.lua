-- GET /coupon-status?code=... rotating through existing codes, one a line in the file
-- given after "--".
-- Usage: wrk -t2 -c64 -d20s --latency -s bench/http/status.lua http://127.0.0.1:PORT -- codes.txt
local common = dofile((os.getenv("BENCH_HTTP_DIR") or "bench/http") .. "/common.lua")

local next_request

setup = common.setup

function init(args)
  next_request = common.rotation(common.load_codes(args[1]), function(code)
    return wrk.format("GET", "/coupon-status?code=" .. code)
  end, thread_id)
end

function request()
  return next_request()
end

done = common.done
