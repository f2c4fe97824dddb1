#!/usr/bin/env bash
# Runs every test: installs what is missing (MariaDB, Chromium, Node, Redis, nginx), starts a throwaway
# MariaDB and Redis on free loopback ports, runs each test project and the benchmark's smoke
# scenario, stops what it started, and prints one summary line:
#   tests: N passed, N failed, N skipped
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

source scripts/services.sh

work="$(mktemp -d -t agentrooms-test.XXXXXX)"
trap 'stop_services; rm -rf "$work"' EXIT

install_missing mariadbd=mariadb-server chromium=chromium npm="nodejs npm" redis-server=redis-server nginx=nginx

port="$(free_port)"
start_mariadb "$port"
echo "MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$port"
export AGENTROOMS_TEST_MYSQL="Server=127.0.0.1;Port=$port;User=agentrooms;Password=agentrooms"
redis_port="$(free_port)"
start_redis "$redis_port"
echo "Redis $(redis-server --version | awk '{print $3}') on 127.0.0.1:$redis_port"
export AGENTROOMS_TEST_REDIS="127.0.0.1:$redis_port"
export AGENTROOMS_CHROMIUM=/usr/bin/chromium
# The suite starts a hundred apps; each would watch its files through inotify, whose per-user limit
# (128 instances on many machines) a second suite beside it exhausts. Polling watches the same files.
export DOTNET_USE_POLLING_FILE_WATCHER=true
# The several-nodes browser test runs deploy/nginx.conf in an nginx of its own on loopback.
export AGENTROOMS_NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

dotnet build AgentRooms.sln -c Release -nologo -v quiet
status=0
for project in tests/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" \
        --results-directory "$work/results" || status=1
done

# The benchmark's smoke scenario: complete, ordered delivery on the app and on B0, CPU ratio within a loose bound.
bench_passed=0 bench_failed=0
if REPORT_DIR="$work/bench" ./bench/run.sh smoke > "$work/bench.log" 2>&1; then
    bench_passed=1
    grep -E "^(app|b0):" "$work/bench.log" || true
else
    bench_failed=1 status=1
    echo "Benchmark smoke failed:"; tail -30 "$work/bench.log"
fi

passed=$bench_passed failed=$bench_failed skipped=0
for trx in "$work"/results/*.trx; do
    [ -f "$trx" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$trx")"
    value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    skipped=$((skipped + $(value notExecuted)))
done
[ "$failed" -gt 0 ] && status=1
[ "$passed" -eq 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
