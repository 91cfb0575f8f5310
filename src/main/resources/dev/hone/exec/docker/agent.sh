#!/bin/sh
# Hone's trial agent: the main process of a run's workspace container (POSIX sh; dev.hone.exec.docker).
#
#   sh agent.sh DIR
#
# Reads requests, one per line, from the FIFO DIR/requests:
#   run ID          start DIR/t/ID/run.sh as its own process group (setsid), output appended to DIR/t/ID/out
#   kill ID GRACE   SIGTERM to that trial's process group, SIGKILL GRACE seconds later if it still runs
# and reports on the FIFO DIR/events:
#   ready                                     once, when it listens
#   exit ID STATUS OOM_KILLS PIDS_LIMIT_HITS CPU_MS PEAK_BYTES
#                                             when trial ID's shell has ended (STATUS 128+N: killed by signal N),
#                                             with how many processes the memory limit killed and how many forks
#                                             the pids limit refused in the container meanwhile, the CPU time of
#                                             the trial's processes (user + system of those reaped within the trial,
#                                             the shell's `times`) and the most memory they held (sampled from
#                                             /proc every 0.1 s); -1 for a figure that could not be read
# Processes a trial leaves running in the background are killed when it ends. The agent ends when Hone closes the
# requests FIFO (Hone stopped, even by SIGKILL): the container's init then ends and takes every process with it.
dir=$1

# DIR is reached at the run directory's own path, and the container starts in DIR: when a directory on the way is
# closed to this user, say which one, as "unreachable UID:GID MODE OWNER:GROUP PATH", in agent.log (reached from
# the working directory) and end. Hone hides a closed directory of the image and starts again, or explains.
if ! [ -w "$dir" ]; then
  closed=$dir
  path=
  set -f
  IFS=/
  for part in $dir; do
    if [ -n "$part" ]; then
      path=$path/$part
      if ! [ -x "$path" ]; then closed=$path; break; fi
    fi
  done
  unset IFS
  set -- $(ls -ldn "$closed" 2>/dev/null)
  echo "unreachable $(id -u):$(id -g) ${1:-?} ${3:-?}:${4:-?} $closed" >>agent.log
  exit 3
fi
exec 2>>"$dir/agent.log"

# dash ends when a fork is refused (the pids limit reached); bash, when the image has it, retries for a while
# instead, so a request that comes while a trial's processes are still being reaped does not end the agent
if [ -z "$HONE_AGENT_SHELL" ] && command -v bash >/dev/null 2>&1; then
  HONE_AGENT_SHELL=bash exec bash "$0" "$@"
fi

if [ -r /sys/fs/cgroup/memory.events ]; then oom_file=/sys/fs/cgroup/memory.events
else oom_file=/sys/fs/cgroup/memory/memory.oom_control; fi
if [ -r /sys/fs/cgroup/pids.events ]; then pids_file=/sys/fs/cgroup/pids.events
else pids_file=/sys/fs/cgroup/pids/pids.events; fi

# counter FILE KEY: sets $value to KEY's number in a cgroup "key number" file (0 when unreadable)
counter() {
  value=0
  if [ -r "$1" ]; then
    while read -r key number; do
      if [ "$key" = "$2" ]; then value=$number; fi
    done < "$1"
  fi
}

# millis FIGURE: sets $value to the milliseconds of a `times` figure (bash: 1m2.345s, dash: 1m2.345000s)
millis() {
  minutes=${1%%m*}; seconds=${1#*m}; seconds=${seconds%s}
  whole=${seconds%%.*}; fraction=${seconds#*.}000; fraction=${fraction%"${fraction#???}"}
  while [ "${fraction#0}" != "$fraction" ] && [ -n "${fraction#0}" ]; do fraction=${fraction#0}; done
  value=$(( (minutes * 60 + whole) * 1000 + fraction ))
}

# watch SID FILE: every 0.1 s, writes to FILE the most memory the processes of session SID (a trial's) held so far:
# the larger of the largest sum of their resident sets and the largest peak of one of them (VmRSS, VmHWM), in bytes;
# written only when it grows. Stopped by SIGKILL, which no retried fork (the pids limit reached) can hold up.
watch() {
  sid=$1; out=$2; peak=0; written=-1
  while :; do
    sum=0
    for p in /proc/[0-9]*; do
      { read -r stat <"$p/stat"; } 2>/dev/null || continue
      set -- ${stat##*") "}
      [ "$4" = "$sid" ] || continue
      { while read -r key number _; do
          case $key in
            VmRSS:) sum=$((sum + number * 1024)) ;;
            VmHWM:) if [ $((number * 1024)) -gt "$peak" ]; then peak=$((number * 1024)); fi ;;
          esac
        done <"$p/status"; } 2>/dev/null
    done
    if [ "$sum" -gt "$peak" ]; then peak=$sum; fi
    if [ "$peak" -gt "$written" ]; then echo "$peak" >"$out"; written=$peak; fi
    sleep 0.1
  done
}

start() {
  t=$dir/t/$1
  ( (
    counter "$oom_file" oom_kill; oom=$value
    counter "$pids_file" max; pids=$value
    setsid sh "$t/run.sh" >>"$t/out" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$t/pid"
    watch "$pid" "$t/peak" &
    watcher=$!
    wait "$pid"
    status=$?
    times >"$t/times"
    kill -KILL "$watcher" 2>/dev/null
    wait "$watcher" 2>/dev/null
    : >"$t/done"
    kill -KILL -"$pid" 2>/dev/null
    # until the group is gone (reaped by the container's init), its processes still hold pids: the exit is
    # reported after, so the next trial can start. Builtins only: a fork may still be refused here.
    i=0
    while kill -0 -"$pid" 2>/dev/null && [ "$i" -lt 200000 ]; do i=$((i + 1)); done
    counter "$oom_file" oom_kill; oom=$((value - oom))
    counter "$pids_file" max; pids=$((value - pids))
    cpu=-1
    if { read -r _ _; read -r user system; } <"$t/times"; then
      millis "$user"; cpu=$value; millis "$system"; cpu=$((cpu + value))
    fi
    { read -r peak <"$t/peak"; } 2>/dev/null || peak=-1
    case $peak in ''|*[!0-9]*) peak=-1 ;; esac
    echo "exit $1 $status $oom $pids $cpu $peak" >&4
  ) & )
}

stop() {
  t=$dir/t/$1
  ( (
    i=0
    while [ ! -s "$t/pid" ] && [ ! -e "$t/done" ] && [ "$i" -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
    read -r pid <"$t/pid" 2>/dev/null || exit 0
    [ -e "$t/done" ] && exit 0
    kill -TERM -"$pid" 2>/dev/null || exit 0
    sleep "$2"
    [ -e "$t/done" ] || kill -KILL -"$pid" 2>/dev/null
  ) & )
}

exec 4>"$dir/events"
exec 3<"$dir/requests"
echo ready >&4
while read -r verb id arg <&3; do
  case $verb in
    run) start "$id" ;;
    kill) stop "$id" "${arg:-2}" ;;
  esac
done
