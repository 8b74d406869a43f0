-- GET /noop: the baseline (connector, filters, dispatcher, metrics; no coupon work).
-- Usage: wrk -t2 -c64 -d20s --latency -s bench/http/noop.lua http://127.0.0.1:PORT
local common = dofile((os.getenv("BENCH_HTTP_DIR") or "bench/http") .. "/common.lua")

wrk.method = "GET"
wrk.path = "/noop"

done = common.done
