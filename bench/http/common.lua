-- Shared by the wrk scripts of bench/http/run.sh (loaded with dofile; wrk has no
-- module path of its own). Each wrk thread runs its own Lua state: init() and request()
-- run in the thread, done() once in the main state after the run.
local common = {}

-- The codes in `path`, one a line, as a Lua array.
function common.load_codes(path)
  assert(path, "pass the code file after --, e.g. wrk ... -s status.lua URL -- codes.txt")
  local codes = {}
  for line in io.lines(path) do
    if line ~= "" then
      codes[#codes + 1] = line
    end
  end
  assert(#codes > 0, "no codes in " .. path)
  return codes
end

-- Requests built once per thread by `build(code)`, handed out in turn by the returned
-- function; each thread starts at its own offset so the threads do not walk the list in
-- step. Building every request up front keeps wrk's own CPU use per request minimal:
-- it shares two cores with the server.
function common.rotation(codes, build, thread_id)
  local requests = {}
  for k, code in ipairs(codes) do
    requests[k] = build(code)
  end
  local n = #requests
  local i = math.floor(n * (((thread_id or 0) * 0.6180339887) % 1))
  return function()
    i = i % n + 1
    return requests[i]
  end
end

-- Give each thread a number, for its starting offset.
local next_id = 0
function common.setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

-- One machine-readable line for run.sh; latencies in microseconds. "non2xx" is what
-- wrk prints as "Non-2xx or 3xx responses" (status >= 400 only, despite the name).
function common.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end

return common
