#!/bin/sh
# PID 1 of the layertrace QEMU lab's guest: does what a distribution's init would (mounts, modules),
# builds the guest side of the lab from the script the host shares, then serves the control channel.
export PATH=/usr/sbin:/usr/bin:/mnt/layertrace/bin
say() { echo "layertrace-init: $* at $(cut -d' ' -f1 /proc/uptime) s"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
say started

# Debian's kernel has virtio, 9p, veth, bridge and netfilter as modules. The virtio-mmio devices are
# found through ACPI: Debian builds without VIRTIO_MMIO_CMDLINE_DEVICES, so virtio_mmio.device= does nothing.
for m in @MODULES@; do
  modprobe "$m" || echo "layertrace-init: modprobe $m failed"
done
say "modules loaded"

mkdir -p /mnt/layertrace
if mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose layertrace /mnt/layertrace; then
  . /mnt/layertrace/guest.env
  mkdir -p "$LT_JDK"
  mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=524288 jdk "$LT_JDK" \
    || echo "layertrace-init: cannot mount the JDK at $LT_JDK"
  say "shares mounted"
  if sh -e /mnt/layertrace/lab.sh > /run/lab.log 2>&1; then
    say "lab built"
  else
    say "lab script failed"
    cat /run/lab.log
  fi
else
  say "no layertrace share"
fi

# The control channel: one request per line, "ID SECONDS BASE64(script)"; one answer per line,
# "ID EXIT BASE64(output)". Requests run one after another, each under a time limit.
port=
for p in /sys/class/virtio-ports/*; do
  [ "$(cat "$p/name" 2>/dev/null)" = "@CONTROL_PORT@" ] && port=/dev/${p##*/}
done
if [ -z "$port" ]; then
  say "no control port"
  exec sleep 2147483647
fi
say "control channel on $port"
serve() {
  while read -r id limit script <&3; do
    # Acknowledge at once: a request written while the port was being reopened is lost, and the host
    # sends it again until it sees this. A request seen before (a resend) runs only once.
    printf '%s started\n' "$id" >&3
    [ "$id" = "$(cat /run/control.last 2>/dev/null)" ] && continue
    echo "$id" > /run/control.last
    printf '%s' "$script" | base64 -d > /run/control.sh
    # 3<&-: a request's processes (busybox timeout's watcher too) must not keep the port open, or the
    # next open after the host reconnects fails with EBUSY.
    # /usr/bin/dash by path: busybox's timeout runs its own applets in preference, and busybox's shell
    # would then run busybox's ip, not iproute2's.
    timeout -s KILL "$limit" /usr/bin/dash /run/control.sh > /run/control.out 2>&1 < /dev/null 3<&-
    rc=$?
    # The answer goes out in one write: a shell builtin's small writes cost a virtqueue round trip
    # each, and under TCG a 20 KB answer then took minutes.
    { printf '%s %s ' "$id" "$rc"; base64 -w 0 /run/control.out; echo; } > /run/control.answer
    cat /run/control.answer >&3
  done
}
# The port reads end of file while the host is not connected; a subshell per connection, so that a
# failed open cannot end PID 1.
while true; do
  ( exec 3<>"$port" && serve )
  sleep 0.2
done
