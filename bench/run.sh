#!/usr/bin/env bash
# Runs benchmark scenarios on loopback and writes a Markdown report under bench/results/ (BENCHMARK.md).
#   bench/run.sh s1 | s2 | … | s9 | s4s         one scenario, 3 alternating rounds (s4s: S4's posts as socket sends; s9 one round)
#   bench/run.sh all                            the full matrix, S1 to S8, into one report
#   bench/run.sh large                          S2's 1000-member room alone, one round
#   bench/run.sh smoke                          a small S2 and a few socket sends for CI: fails when delivery is incomplete or the CPU ratio is absurd
# The server runs on CPU 0 and the generator on CPU 1 (taskset); Release builds; workstation GC.
# ROUNDS overrides the number of rounds; REPORT_DIR where the report goes; MAX_CPU_RATIO the smoke bound.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/services.sh

scenario="${1:-s2}"
case "$scenario" in
    smoke|s1|s2|s3|s4|s4s|s5|s6|s7|s8|s9|large) scenarios=("$scenario") ;;
    all) scenarios=(s1 s2 s3 s4 s4s s5 s6 s7 s8 s9) ;;
    *) echo "unknown scenario $scenario (s1 … s9, s4s, all, large, smoke)" >&2; exit 2 ;;
esac
default_rounds=3
[ "$scenario" = smoke ] || [ "$scenario" = large ] || [ "$scenario" = s9 ] && default_rounds=1
rounds="${ROUNDS:-$default_rounds}"

install_missing node=nodejs npm=npm
needs_mariadb=false needs_redis=false
for s in "${scenarios[@]}"; do
    case "$s" in s4|s4s|s9) needs_mariadb=true ;; s7) needs_mariadb=true needs_redis=true ;; esac
done
$needs_mariadb && install_missing mariadbd=mariadb-server
$needs_redis && install_missing redis-server=redis-server

dotnet build src/Web -c Release -nologo -v quiet >/dev/null
dotnet build bench/AgentRooms.Bench -c Release -nologo -v quiet >/dev/null
dotnet build bench/B0.KestrelFanout -c Release -nologo -v quiet >/dev/null
(cd bench/B2.SocketIo && npm ci --no-audit --no-fund --silent)

work="$(mktemp -d -t agentrooms-bench.XXXXXX)"
server_pids=()
stop_server() {
    local pid
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    server_pids=()
}
cleanup() { stop_server; stop_services; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # S1 holds 10k sockets on each side

if $needs_mariadb; then
    mariadb_port="$(free_port)"
    start_mariadb "$mariadb_port"
fi
if $needs_redis; then
    redis_port="$(free_port)"
    start_redis "$redis_port"
fi

# The server is exec'd directly (taskset execs it too) so $! is the server's own pid, for its CPU time and memory.
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then on_cpu0=(taskset -c 0); on_cpu1=(taskset -c 1); else on_cpu0=(); on_cpu1=(); fi
on_cpu=("${on_cpu0[@]}")
run_number=0

# wait_until_up PORT: the server answers, or its log is shown and the run stops.
wait_until_up() {
    for _ in $(seq 1 150); do
        if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return; fi
        sleep 0.2
    done
    cat "$work/server.log" >&2; exit 1
}

# start_app PORT [ENV=VALUE...]: one app node, on CPU 0 unless on_cpu says otherwise.
start_app() {
    local p="$1"; shift
    # The generator is one person and one client doing the work of thousands: the per-person limits stand aside.
    env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Hangfire__SqlitePath="$work/jobs-$run_number.db" \
        Limits__RegistrationsPerHour=1000000 Limits__SignInsPerMinute=1000000 Limits__PostsPerMinute=1000000 \
        Limits__RoomsPerHour=1000000 Limits__AgentsPerHour=1000000 Limits__InviteLinksPerHour=1000000 Limits__SearchesPerMinute=1000000 \
        Agents__RoomRepliesPerMinute=1000000 Realtime__SocketsPerPerson=1000000 Realtime__FramesPerSecond=1000000 AI__Models='*' "$@" \
        "${on_cpu[@]}" dotnet src/Web/bin/Release/net10.0/AgentRooms.Web.dll --urls "http://127.0.0.1:$p" --contentRoot "$root/src/Web" >>"$work/server.log" 2>&1 &
    server_pids+=($!)
    wait_until_up "$p"
}

# start_server TARGET PORT [ENV=VALUE...]; sets server_pids, and target_args for the generator.
start_server() {
    local target="$1" p="$2"; shift 2
    run_number=$((run_number + 1))
    target_args=()
    : >"$work/server.log"
    local mariadb="Server=127.0.0.1;Port=${mariadb_port:-0};User=agentrooms;Password=agentrooms;Database=bench_$run_number"
    case "$target" in
        app) start_app "$p" ConnectionStrings__Default="Data Source=$work/app-$run_number.db" "$@" ;;
        app-mariadb) start_app "$p" Database__Provider=MySql ConnectionStrings__Default="$mariadb" "$@" ;;
        app-2nodes)
            # Started one after the other: the first creates and migrates the database.
            # Each node has a core, as on machines of their own: node 2 shares CPU 1 with the generator.
            local second; second="$(free_port)"
            local multi=(Database__Provider=MySql ConnectionStrings__Default="$mariadb" Redis__Configuration="127.0.0.1:$redis_port" Redis__Prefix="bench-$run_number")
            start_app "$p" "${multi[@]}" "$@"
            on_cpu=("${on_cpu1[@]}"); start_app "$second" "${multi[@]}" "$@"; on_cpu=("${on_cpu0[@]}")
            target_args=(--socket-urls "http://127.0.0.1:$p,http://127.0.0.1:$second") ;;
        b0) "${on_cpu0[@]}" dotnet bench/B0.KestrelFanout/bin/Release/net10.0/B0.KestrelFanout.dll --urls "http://127.0.0.1:$p" >"$work/server.log" 2>&1 &
            server_pids+=($!); wait_until_up "$p" ;;
        b2) "${on_cpu0[@]}" node bench/B2.SocketIo/server.js --port "$p" >"$work/server.log" 2>&1 &
            server_pids+=($!); wait_until_up "$p" ;;
    esac
}

results="$work/results.jsonl"
# measure TARGET COMMAND ARGS...: one run of the generator against a fresh server.
measure() {
    local target="$1" command="$2"; shift 2
    local p server_env=()
    p="$(free_port)"
    if [ "$command" = agents ]; then
        model_port="$(free_port)"
        server_env=(AI__Endpoint="http://127.0.0.1:$model_port/v1" AI__ApiKey=bench AI__Model=bench Agents__MentionsPerMinute=100000)
        set -- "$@" --model-port "$model_port"
    fi
    if [ "$command" = pages ]; then
        # S8's static file (the page's own bytes) is written into a copy of the web root the server serves.
        rm -rf "$work/wwwroot"; cp -r src/Web/wwwroot "$work/wwwroot"
        server_env=(ASPNETCORE_WEBROOT="$work/wwwroot")
        set -- "$@" --static-dir "$work/wwwroot"
    fi
    start_server "$target" "$p" "${server_env[@]}"
    local status=0
    local pids; pids="$(IFS=,; echo "${server_pids[*]}")"
    "${on_cpu1[@]}" dotnet bench/AgentRooms.Bench/bin/Release/net10.0/AgentRooms.Bench.dll "$command" --target "$target" \
        --url "http://127.0.0.1:$p" --server-pid "$pids" --out "$results" "${target_args[@]}" "$@" || status=$?
    stop_server
    if [ "$status" -ne 0 ]; then echo "incomplete: $command on $target $*" >&2; tail -20 "$work/server.log" >&2; exit 1; fi
}

fanout_targets=(app b0 b2)
for s in "${scenarios[@]}"; do
    for round in $(seq 1 "$rounds"); do
        echo "== $s, round $round of $rounds" >&2
        case "$s" in
            smoke) for t in "${fanout_targets[@]}"; do measure "$t" fanout --rooms 2 --members 50 --rate 50 --seconds 4; done
                   measure app posts --via socket --rooms 2 --concurrency 4 --seconds 3 ;;
            s1)    for t in "${fanout_targets[@]}"; do measure "$t" density --counts 1000,10000; done ;;
            s2)    # The app's posts go as the composer sends them, over a room socket (BENCHMARK.md's S2 for #18).
                   for shape in "10 100 100" "100 10 100" "1 1000 20"; do
                       read -r r m rate <<<"$shape"
                       for t in "${fanout_targets[@]}"; do
                           via=(); [ "$t" = app ] && via=(--via socket)
                           measure "$t" fanout --rooms "$r" --members "$m" --rate "$rate" --seconds 10 "${via[@]}"
                       done
                   done ;;
            large) for t in app b0; do measure "$t" fanout --rooms 1 --members 1000 --rate 20 --seconds 10; done ;;
            s3)    for t in "${fanout_targets[@]}"; do measure "$t" capacity --rooms 10 --members 100 --rate 10 --seconds 5; done ;;
            s4)    for t in app app-mariadb; do measure "$t" posts --rooms 10 --concurrency 16 --seconds 10; done ;;
            s4s)   for t in app app-mariadb; do measure "$t" posts --via socket --rooms 10 --concurrency 16 --seconds 10; done ;;
            s5)    for slow in 0 1; do
                       for t in "${fanout_targets[@]}"; do measure "$t" fanout --scenario s5 --rooms 1 --members 200 --rate 40 --seconds 15 --slow-percent "$slow"; done
                   done ;;
            s6)    measure app agents --rate 5 --seconds 20 --model-latency-ms 100 ;;
            s7)    for t in app-mariadb app-2nodes; do measure "$t" fanout --scenario s7 --rooms 10 --members 100 --rate 20 --seconds 10; done ;;
            s8)    measure app pages --rate 50 --seconds 15 ;;
            s9)    # 100 rooms of 1,000 messages, sent over sockets; then each kind of query at 20/s.
                   for t in app app-mariadb; do measure "$t" search --via socket --rooms 100 --counts 1000 --concurrency 16 --rate 20 --seconds 10; done ;;
        esac
    done
done

report_dir="${REPORT_DIR:-bench/results}"
mkdir -p "$report_dir"
report="$report_dir/$(date -u +%Y-%m-%d)-$scenario.md"
dotnet bench/AgentRooms.Bench/bin/Release/net10.0/AgentRooms.Bench.dll report --in "$results" --out "$report" \
    --scenario "$scenario" --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --node "$(node --version)" --max-ratio "${MAX_CPU_RATIO:-50}"
echo "report: $report"
