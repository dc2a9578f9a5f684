-- wrk script of the accept-only scenario (bench/Herald.Bench/AcceptOnlyScenario.cs runs it).
-- With HERALD_BENCH_API_KEY set, every request is POST /v1/messages of the same small transactional message to
-- HERALD_BENCH_TO, a signed-in consumer with no connected device: Herald accepts it (202, stored and fsync'd) and it
-- waits. Without it, wrk sends the plain GET of the URL it was given (GET /healthz for the comparison).
-- A fixed body is fine: Herald deduplicates only by an Idempotency-Key header, which this sends none of.
-- At the end it prints one line the bench parses: counts, the measured duration and latency percentiles.
local key = os.getenv("HERALD_BENCH_API_KEY")
if key ~= nil and key ~= "" then
  wrk.method = "POST"
  wrk.path = "/v1/messages"
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"to":"' .. os.getenv("HERALD_BENCH_TO") .. '","category":"transactional","text":"Your parcel is on its way"}'
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("herald-bench requests=%d duration_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
