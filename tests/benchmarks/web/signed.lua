-- Pre-signed webhook deliveries for make bench's ingestion runs (tests/benchmarks/web/ingest.py),
-- so that a provider's requests cost the machine what they cost a provider: nothing. The file
-- in BENCH_REQUESTS holds one delivery a line, "signature<TAB>body"; each request sends the
-- next one. ingest.py appends report.lua's `done` to this script.
local requests, following = {}, 1

init = function(args)
  local header, path = os.getenv("BENCH_SIGNATURE_HEADER"), os.getenv("BENCH_PATH")
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local tab = line:find("\t", 1, true)
    requests[#requests + 1] = wrk.format("POST", path, {
      [header] = line:sub(1, tab - 1),
      ["Content-Type"] = "application/json",
    }, line:sub(tab + 1))
  end
end

request = function()
  local next_request = requests[following]
  following = following % #requests + 1
  return next_request
end
