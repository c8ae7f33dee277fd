import pytest

from tests.benchmarks.web import wrk

OUTPUT = """Running 10s test @ http://127.0.0.1:40123/api/v1/cases/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    24.80ms    9.11ms  98.00ms   81.20%
    Req/Sec   161.97     20.10   210.00     70.00%
  1620 requests in 10.01s, 9.61MB read
Requests/sec:    161.84
Transfer/sec:      0.96MB
BENCH_JSON {"requests": 1620, "duration_us": 10010000, "p50_us": 22900, "p95_us": 41250, \
"p99_us": 60100, "max_us": 98000, "errors": {"connect": 0, "read": 0, "write": 0, \
"status": 3, "timeout": 0}}
"""


def test_the_figures_are_read_from_the_scripts_line():
    # when wrk's output with report.lua's line is parsed
    result = wrk.parse_output(OUTPUT)

    # then latencies are in ms, the rate is requests over the run's duration
    assert (result.p50_ms, result.p95_ms, result.p99_ms, result.max_ms) == (22.9, 41.25, 60.1, 98)
    assert result.requests == 1620
    assert result.requests_per_second == pytest.approx(161.84, abs=0.01)
    # and answers other than 2xx/3xx count as failures
    assert result.failed == 3


def test_output_without_the_scripts_line_is_an_error():
    with pytest.raises(wrk.WrkError, match="no figures"):
        wrk.parse_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_command_sends_the_headers_and_the_script():
    # when a command is built for a signed-in target
    args = wrk.command(
        "http://127.0.0.1:1/agent/", seconds=10, connections=4, headers={"Cookie": "sessionid=x"}
    )

    # then it runs for the bounded time, with the connections, header and JSON script
    assert args[0] == "wrk"
    assert args[args.index("--duration") + 1] == "10s"
    assert args[args.index("--connections") + 1] == "4"
    assert args[args.index("--header") + 1] == "Cookie: sessionid=x"
    assert args[args.index("--script") + 1].endswith("report.lua")
    assert args[-1] == "http://127.0.0.1:1/agent/"
