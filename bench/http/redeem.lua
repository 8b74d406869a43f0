-- POST /redeem-coupon {"code":"..."} rotating through existing codes, one a line in the
-- file given after "--". The first pass redeems each code; later passes are repeats
-- without a reference, which also answer 200 (alreadyRedeemed: true).
-- Usage: wrk -t2 -c64 -d20s --latency -s bench/http/redeem.lua http://127.0.0.1:PORT -- codes.txt
local common = dofile((os.getenv("BENCH_HTTP_DIR") or "bench/http") .. "/common.lua")

local headers = { ["Content-Type"] = "application/json" }
local next_request

setup = common.setup

function init(args)
  next_request = common.rotation(common.load_codes(args[1]), function(code)
    return wrk.format("POST", "/redeem-coupon", headers, '{"code":"' .. code .. '"}')
  end, thread_id)
end

function request()
  return next_request()
end

done = common.done
