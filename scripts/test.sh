#!/usr/bin/env bash
# Runs every test: installs what is missing (MariaDB, Chromium), starts a throwaway MariaDB on a
# free loopback port, runs each test project, stops what it started, and prints one summary line:
#   tests: N passed, N failed, N skipped
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
    local wanted=()
    command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || wanted+=(mariadb-server)
    [ -x /usr/bin/chromium ] || wanted+=(chromium)
    command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
    if [ ${#wanted[@]} -gt 0 ]; then
        echo "Installing ${wanted[*]}..."
        sudo_if_needed apt-get update -qq
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}" >/dev/null
    fi
}

free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "no free port found" >&2; return 1
}

work="$(mktemp -d -t agentrooms-test.XXXXXX)"
mariadb_pid=""
cleanup() {
    if [ -n "$mariadb_pid" ] && kill -0 "$mariadb_pid" 2>/dev/null; then
        kill "$mariadb_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$mariadb_pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$mariadb_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

start_mariadb() {
    local port="$1" mariadbd_bin
    mariadbd_bin="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
    mkdir -p "$work/mariadb"
    mariadb-install-db --no-defaults --datadir="$work/mariadb/data" --user="$(id -un)" \
        --auth-root-authentication-method=socket --skip-test-db >"$work/mariadb/install.log" 2>&1
    "$mariadbd_bin" --no-defaults --datadir="$work/mariadb/data" --user="$(id -un)" \
        --socket="$work/mariadb/mariadb.sock" --pid-file="$work/mariadb/mariadb.pid" \
        --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
        >"$work/mariadb/server.log" 2>&1 &
    mariadb_pid=$!
    for _ in $(seq 1 100); do
        if mariadb-admin --no-defaults --socket="$work/mariadb/mariadb.sock" -u"$(id -un)" ping >/dev/null 2>&1; then break; fi
        kill -0 "$mariadb_pid" 2>/dev/null || { cat "$work/mariadb/server.log" >&2; return 1; }
        sleep 0.2
    done
    # mariadb-install-db lets the OS user who ran it in through the socket.
    mariadb --no-defaults --socket="$work/mariadb/mariadb.sock" -u"$(id -un)" <<SQL
CREATE USER 'agentrooms'@'127.0.0.1' IDENTIFIED BY 'agentrooms';
GRANT ALL PRIVILEGES ON *.* TO 'agentrooms'@'127.0.0.1';
SQL
}

install_missing

port="$(free_port)"
start_mariadb "$port"
echo "MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$port"
export AGENTROOMS_TEST_MYSQL="Server=127.0.0.1;Port=$port;User=agentrooms;Password=agentrooms"
export AGENTROOMS_CHROMIUM=/usr/bin/chromium

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
