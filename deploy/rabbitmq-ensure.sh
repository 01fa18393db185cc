#!/usr/bin/env bash
# Make sure the machine's RabbitMQ (127.0.0.1:5672, Debian's rabbitmq-server) runs and answers a quorum-queue
# declare, with enough file handles. Used by .ci/run; safe to run by hand as root (`bash deploy/rabbitmq-ensure.sh`).
#
# Why: Debian starts the node through `su rabbitmq`, whose PAM session sets the soft open-files limit to 1024.
# RabbitMQ's file_handle_cache then allows 927 handles; a few hundred quorum queues (each test package declares
# its own namespace) exhaust it and every later queue.declare waits forever — the broker still accepts
# connections, so only a declare shows it (seen here: total_used 927 of 927, a classic queue stuck in
# file_handle_cache:with_handle). The fix is a limits.d entry for the rabbitmq user and a restart.
set -euo pipefail

WANT_FILES=20000
LIMITS=/etc/security/limits.d/rabbitmq-nofile.conf

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/5672") 2>/dev/null; }

main_node_pid() {  # the default node's beam (fault tests may run other nodes with their own RABBITMQ_NODENAME)
  local pid
  for pid in $(pgrep -f "beam.smp.*rabbit boot" || true); do
    if ! tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -q '^RABBITMQ_NODENAME='; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

open_files_limit() { awk '/^Max open files/ {print $4}' "/proc/$1/limits"; }

declare_probe() {  # a quorum queue declared and deleted within 20 s
  timeout 30 python3 - <<'EOF'
import asyncio, sys, uuid
import aio_pika

async def probe() -> None:
    connection = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/", timeout=10)
    async with connection:
        channel = await connection.channel()
        name = f"ci-probe-{uuid.uuid4().hex[:8]}"
        await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
        await channel.queue_delete(name)

try:
    asyncio.run(asyncio.wait_for(probe(), 20))
except Exception as exc:  # noqa: BLE001
    print(f"rabbitmq-ensure: quorum-queue declare failed: {exc!r}", file=sys.stderr)
    sys.exit(1)
EOF
}

start() {
  echo "rabbitmq-ensure: starting RabbitMQ"
  rabbitmq-server -detached
  local deadline=$((SECONDS + 120))
  until tcp_open; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "rabbitmq-ensure: RabbitMQ did not come up within 120 s" >&2; exit 1; }
    sleep 1
  done
  timeout 90 rabbitmqctl -q await_startup || true
}

stop() {
  echo "rabbitmq-ensure: stopping RabbitMQ"
  timeout 60 rabbitmqctl -q stop || true
  local pid
  if pid=$(main_node_pid); then kill -9 "$pid" || true; fi
  sleep 2
}

if [ "$(id -u)" -eq 0 ] && ! grep -qs "rabbitmq soft nofile" "$LIMITS"; then
  printf 'rabbitmq soft nofile %s\nrabbitmq hard nofile %s\n' "$WANT_FILES" "$WANT_FILES" >"$LIMITS"
fi

if ! tcp_open; then
  start
elif pid=$(main_node_pid) && [ "$(open_files_limit "$pid")" -lt 4096 ]; then
  echo "rabbitmq-ensure: RabbitMQ runs with $(open_files_limit "$pid") open files; restarting it with $WANT_FILES"
  stop
  start
fi

if ! declare_probe; then
  echo "rabbitmq-ensure: RabbitMQ does not answer a queue declare; restarting it" >&2
  stop
  start
  if ! declare_probe; then
    # Its state (queues left by killed test runs) is what hangs: a fresh node, as on a new machine.
    echo "rabbitmq-ensure: still no answer; restarting it with an empty state" >&2
    stop
    rm -rf /var/lib/rabbitmq/mnesia/rabbit@localhost /var/lib/rabbitmq/mnesia/rabbit@localhost-*
    start
    declare_probe
  fi
fi
echo "rabbitmq-ensure: RabbitMQ answers (open files: $(open_files_limit "$(main_node_pid)"))"
