"""Load a real `newsarchive serve` on loopback: throughput, p50/p95 and errors under load.

    python bench/bench_load.py [--home DIR] [--seconds 10] [--clients 1,8,32] [--workers N]

Without --home it ingests the 10,000 real AllSides articles (../shared/corpus/allsides,
`--no-extract` unless --extract: keyword search needs no model) into a temporary home.
It starts `newsarchive serve` on a free loopback port, then for each client count runs a
mixed search workload (result pages, the JSON API, filters, phrases, prefixes, browsing)
for --seconds (and at most --max-requests requests), each client on its own keep-alive
connection; then the largest count again while 32 slow clients hold connections open,
trickling a header line every few seconds and never finishing a request.

Targets (issue 10): at 32 clients >= 1.7x the ~30 req/s of one process, p95 < 500 ms,
no errors; with the slow clients, p95 < 1 s. Figures from a busy machine are noisy:
compare runs made one after the other (e.g. --workers 1 against the default).
"""

from __future__ import annotations

import argparse
import http.client
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "allsides"
WORDS = ["trump", "election", "border", "vaccine", "economy", "senate", "court", "climate"]
WORDS += ["police", "china", "russia", "tax", "biden", "school", "health", "war"]
SLOW_CLIENTS = 32
TIMEOUT = 30  # seconds a request may take before it counts as an error


def ingest(home: Path, extract: bool) -> None:
    files = sorted(CORPUS.glob("articles-*.jsonl.gz"))
    if not files:
        sys.exit(f"no corpus at {CORPUS}: give --home an archive")
    command = [sys.executable, "-m", "archive", "ingest", "--home", str(home), *map(str, files)]
    started = time.monotonic()
    subprocess.run([*command, *([] if extract else ["--no-extract"])], check=True)
    print(f"ingested {len(files)} files into {home} in {time.monotonic() - started:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request_paths(rng: random.Random, count: int) -> list[str]:
    """Return count paths of the mixed workload."""
    kinds = [
        lambda: "/?" + urlencode({"q": rng.choice(WORDS)}),
        lambda: "/api/search?" + urlencode({"q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}"}),
        lambda: "/api/search?" + urlencode({"q": f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}"}),
        lambda: "/?" + urlencode({"q": f'"{rng.choice(["white house", "supreme court"])}"'}),
        lambda: "/api/search?" + urlencode({"q": rng.choice(WORDS)[:3] + "*"}),
        lambda: "/?" + urlencode({"q": rng.choice(WORDS), "sort": "newest", "page": 2}),
        lambda: "/api/search?" + urlencode({"from": rng.choice(["2019", "2020", "2021"])}),
        lambda: "/?" + urlencode({"q": rng.choice(WORDS), "section": "politics"}),
    ]
    return [rng.choice(kinds)() for _ in range(count)]


class Outcome:
    """Latencies and errors of one run, filled in by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1
            else:
                self.latencies.append(seconds)


def client(port: int, paths: list[str], stop_at: float, outcome: Outcome) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    for path in paths:
        if time.monotonic() > stop_at:
            break
        started = time.monotonic()
        error = None
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                error = f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        outcome.add(time.monotonic() - started, error)
    connection.close()


def run(port: int, clients: int, seconds: float, max_requests: int, seed: int) -> dict:
    rng = random.Random(seed)
    per_client = max(1, max_requests // clients)
    outcome = Outcome()
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=client,
            args=(port, request_paths(rng, per_client), started + seconds, outcome),
        )
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = sorted(outcome.latencies) or [0.0]
    return {
        "clients": clients,
        "requests": len(outcome.latencies) + sum(outcome.errors.values()),
        "per_second": len(outcome.latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
        "errors": outcome.errors,
    }


def hold_slow_clients(port: int, count: int, stop: threading.Event) -> list[int]:
    """Keep count connections open that trickle header lines and never end a request;
    reopen one the server drops. Returns [connections dropped by the server]."""
    dropped = [0]

    def slow() -> None:
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                    sock.sendall(b"GET /api/search?q=slow HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    while not stop.wait(5):
                        sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                dropped[0] += 1
                stop.wait(0.5)

    for _ in range(count):
        threading.Thread(target=slow, daemon=True).start()
    return dropped


def report(result: dict, label: str = "") -> None:
    errors = ", ".join(f"{k}: {v}" for k, v in result["errors"].items()) or "none"
    print(
        f"{result['clients']:>3} clients{label}: {result['per_second']:6.1f} req/s, "
        f"p50 {result['p50_ms']:5.0f} ms, p95 {result['p95_ms']:5.0f} ms, "
        f"{result['requests']} requests, errors {errors}"
    )


def serve(home: Path, port: int, workers: int | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "archive", "serve", "--home", str(home), "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    for _ in range(300):  # readiness: about 30 s at most
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/search?q=warmup")
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, help="an existing archive (else one is ingested)")
    parser.add_argument("--extract", action="store_true", help="extract people when ingesting")
    parser.add_argument("--clients", default="1,8,32", help="client counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--max-requests", type=int, default=5000, help="cap of each run")
    parser.add_argument("--workers", type=int, help="serve --workers (default: serve's own)")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        home = args.home or Path(scratch) / "home"
        if args.home is None:
            ingest(home, args.extract)
        port = free_port()
        process = serve(home, port, args.workers)
        try:
            for clients in counts:  # a short warm-up, so each process has its index open
                run(port, clients, 1.0, 50, seed=0)
                report(run(port, clients, args.seconds, args.max_requests, seed=clients))
            stop = threading.Event()
            dropped = hold_slow_clients(port, SLOW_CLIENTS, stop)
            time.sleep(1)
            result = run(port, max(counts), args.seconds, args.max_requests, seed=99)
            stop.set()
            report(result, f" + {SLOW_CLIENTS} slow")
            print(f"slow connections dropped by the server and reopened: {dropped[0]}")
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(
        "targets: at 32 clients >= 51 req/s (1.7 x 30), p95 < 500 ms, no errors; "
        f"with {SLOW_CLIENTS} slow clients p95 < 1000 ms"
    )


if __name__ == "__main__":
    main()
