# Shared by scripts/test.sh and bench/run.sh (sourced, not run): installing what is missing and
# starting throwaway services on free loopback ports. The caller sets $work (a temp folder) and
# calls stop_services on exit.

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# install_missing COMMAND=PACKAGE...: apt-get installs the packages whose command is missing.
install_missing() {
    local wanted=() pair
    for pair in "$@"; do
        command -v "${pair%%=*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%=*}" ] || [ -x "/usr/bin/${pair%%=*}" ] || wanted+=(${pair#*=})
    done
    if [ ${#wanted[@]} -gt 0 ]; then
        echo "Installing ${wanted[*]}..."
        # Packages like nginx start a system-wide service on install; the tests start their own on
        # loopback, so services are told not to start (policy-rc.d) unless the machine already says so.
        local policy=/usr/sbin/policy-rc.d added_policy=false
        if [ ! -e "$policy" ]; then
            printf '#!/bin/sh\nexit 101\n' | sudo_if_needed tee "$policy" >/dev/null
            sudo_if_needed chmod +x "$policy"
            added_policy=true
        fi
        sudo_if_needed apt-get update -qq
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${wanted[@]}" >/dev/null
        if $added_policy; then sudo_if_needed rm -f "$policy"; fi
    fi
}

# A port below the kernel's ephemeral range (outgoing connections take those, and a port in use by
# one cannot be bound although nothing listens on it) that nothing answers on.
free_port() {
    local port low
    low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
    for _ in $(seq 1 200); do
        port=$((10000 + RANDOM % (low - 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "no free port found" >&2; return 1
}

service_pids=()

stop_services() {
    local pid
    for pid in "${service_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${service_pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    service_pids=()
}

# start_mariadb PORT: a throwaway server in $work/mariadb with user agentrooms/agentrooms on 127.0.0.1.
start_mariadb() {
    local port="$1" mariadbd_bin pid
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
    pid=$!
    service_pids+=("$pid")
    for _ in $(seq 1 100); do
        if mariadb-admin --no-defaults --socket="$work/mariadb/mariadb.sock" -u"$(id -un)" ping >/dev/null 2>&1; then break; fi
        kill -0 "$pid" 2>/dev/null || { cat "$work/mariadb/server.log" >&2; return 1; }
        sleep 0.2
    done
    # mariadb-install-db lets the OS user who ran it in through the socket.
    mariadb --no-defaults --socket="$work/mariadb/mariadb.sock" -u"$(id -un)" <<SQL
CREATE USER 'agentrooms'@'127.0.0.1' IDENTIFIED BY 'agentrooms';
GRANT ALL PRIVILEGES ON *.* TO 'agentrooms'@'127.0.0.1';
SQL
}

# start_redis PORT: a throwaway redis-server in $work/redis on 127.0.0.1, nothing persisted, never evicting.
start_redis() {
    local port="$1" pid
    mkdir -p "$work/redis"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$work/redis" --save "" --appendonly no \
        --maxmemory-policy noeviction >"$work/redis/server.log" 2>&1 &
    pid=$!
    service_pids+=("$pid")
    for _ in $(seq 1 100); do
        if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then return; fi
        kill -0 "$pid" 2>/dev/null || { cat "$work/redis/server.log" >&2; return 1; }
        sleep 0.1
    done
    echo "redis-server did not answer on port $port" >&2; return 1
}
