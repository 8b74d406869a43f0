-- POST /generate-coupon {} : one new coupon per request (201). Codes come from the
-- pre-filled pool until the load drains it, then on demand; run.sh reports the split.
-- Usage: wrk -t2 -c64 -d20s --latency -s bench/http/generate.lua http://127.0.0.1:PORT
local common = dofile((os.getenv("BENCH_HTTP_DIR") or "bench/http") .. "/common.lua")

wrk.method = "POST"
wrk.path = "/generate-coupon"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "{}"

done = common.done
