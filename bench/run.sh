#!/usr/bin/env bash
# Runs a benchmark scenario on loopback and writes a Markdown report under bench/results/.
#   bench/run.sh s2          paced fan-out, app against B0, alternating rounds
#   bench/run.sh smoke       a small S2 for CI: fails when delivery is incomplete or the CPU ratio is absurd
#   bench/run.sh large       S2's one-room shape alone: 1000 members
# The server runs on CPU 0 and the generator on CPU 1 (taskset), Release builds, workstation GC.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scenario="${1:-s2}"

case "$scenario" in
    smoke) rounds=1; shapes=("2 50 50 4") ;;
    s2)    rounds=3; shapes=("10 100 100 10" "100 10 100 10" "1 1000 20 10") ;;
    large) rounds=1; shapes=("1 1000 20 10") ;;
    *) echo "unknown scenario $scenario (smoke, s2, large)" >&2; exit 2 ;;
esac

dotnet build src/Web -c Release -nologo -v quiet >/dev/null
dotnet build bench/AgentRooms.Bench -c Release -nologo -v quiet >/dev/null
dotnet build bench/B0.KestrelFanout -c Release -nologo -v quiet >/dev/null

work="$(mktemp -d -t agentrooms-bench.XXXXXX)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# exec'd directly (not through a function) so $! is the server's own pid, for its CPU time and memory.
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then on_cpu0=(taskset -c 0); on_cpu1=(taskset -c 1); else on_cpu0=(); on_cpu1=(); fi
port() { for _ in $(seq 1 100); do p=$((20000 + RANDOM % 20000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

start_server() {
    local target="$1" p="$2"
    if [ "$target" = app ]; then
        rm -f "$work"/app.db* "$work"/jobs.db*
        ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
        ConnectionStrings__Default="Data Source=$work/app.db" Hangfire__SqlitePath="$work/jobs.db" \
            "${on_cpu0[@]}" dotnet src/Web/bin/Release/net10.0/AgentRooms.Web.dll --urls "http://127.0.0.1:$p" --contentRoot "$root/src/Web" >"$work/server.log" 2>&1 &
    else
        "${on_cpu0[@]}" dotnet bench/B0.KestrelFanout/bin/Release/net10.0/B0.KestrelFanout.dll --urls "http://127.0.0.1:$p" >"$work/server.log" 2>&1 &
    fi
    server_pid=$!
    for _ in $(seq 1 150); do
        if curl -s -o /dev/null "http://127.0.0.1:$p/"; then return; fi
        sleep 0.2
    done
    cat "$work/server.log" >&2; exit 1
}

results="$work/results.jsonl"
for shape in "${shapes[@]}"; do
    read -r rooms members rate seconds <<<"$shape"
    for round in $(seq 1 "$rounds"); do
        for target in app b0; do
            p="$(port)"
            start_server "$target" "$p"
            "${on_cpu1[@]}" dotnet bench/AgentRooms.Bench/bin/Release/net10.0/AgentRooms.Bench.dll fanout --target "$target" \
                --url "http://127.0.0.1:$p" --rooms "$rooms" --members "$members" --rate "$rate" --seconds "$seconds" \
                --server-pid "$server_pid" --out "$results" || { echo "incomplete delivery ($target)" >&2; exit 1; }
            kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
        done
    done
done

report_dir="${REPORT_DIR:-bench/results}"
mkdir -p "$report_dir"
report="$report_dir/$(date -u +%Y-%m-%d)-$scenario.md"
dotnet bench/AgentRooms.Bench/bin/Release/net10.0/AgentRooms.Bench.dll report --in "$results" --out "$report" \
    --scenario "$scenario" --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --max-ratio "${MAX_CPU_RATIO:-50}"
echo "report: $report"
