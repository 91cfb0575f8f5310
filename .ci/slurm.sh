#!/usr/bin/env bash
# A one-node Slurm cluster for the Slurm executor's tests (called by .ci/run, as root): installs Debian's slurm-wlm and
# munge when they are missing, creates a munge key, writes a one-node slurm.conf (this host, 8 CPUs, its memory, one
# default partition, no accounting: the executor must work without sacct), and starts munged, slurmctld and slurmd
# unless they already answer. Idempotent: a second call finds the cluster up and starts nothing. The tests fail, not
# skip, when CI=true and sbatch is missing.
set -euo pipefail

if ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/munged ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

node="$(hostname -s)"
# More CPUs than the host has (config_overrides), so that the tests' parallel trials (a barrier of 3 jobs) run at once.
cpus=8
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
started=()

# munge: a key when there is none, then munged unless a credential round-trips already.
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  started+=(munged)
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

install -d -m 0755 /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
conf=/etc/slurm/slurm.conf
cat >"$conf.new" <<EOF
# Written by Hone's .ci/slurm.sh: a one-node cluster for the Slurm executor's tests.
ClusterName=hone-ci
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
MinJobAge=60
KillWait=2
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
MpiDefault=none
DefMemPerCPU=512
SlurmdParameters=config_overrides
NodeName=$node CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
if ! cmp -s "$conf.new" "$conf"; then
  mv "$conf.new" "$conf"
  changed=1
else
  rm "$conf.new"
  changed=0
fi

if [ "$changed" = 1 ] && scontrol ping 2>/dev/null | grep -q 'is UP'; then
  # a node's CPUs and memory take a restart, not a reconfigure
  scontrol shutdown >/dev/null
  for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q 'is UP' || break; sleep 0.1; done
  for _ in $(seq 100); do [ -s /run/slurm/slurmd.pid ] && kill -0 "$(cat /run/slurm/slurmd.pid)" 2>/dev/null || break; sleep 0.1; done
fi
if ! scontrol ping 2>/dev/null | grep -q 'is UP'; then
  /usr/sbin/slurmctld
  started+=(slurmctld)
fi
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.1; done

if [ ! -s /run/slurm/slurmd.pid ] || ! kill -0 "$(cat /run/slurm/slurmd.pid)" 2>/dev/null; then
  /usr/sbin/slurmd
  started+=(slurmd)
fi

state=""
for i in $(seq 150); do
  state="$(sinfo -h -n "$node" -o %T 2>/dev/null | head -n 1)"
  case "$state" in
    idle|mixed|allocated) break ;;
    down*|drain*|fail*) scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.1
done
case "$state" in
  idle|mixed|allocated) ;;
  *)
    echo "slurm.sh: node $node is '$state', not idle, after 15 s; see /var/log/slurm/slurmd.log and slurmctld.log" >&2
    exit 1 ;;
esac
echo "slurm.sh: $(sinfo -V), node $node $state (${mem_mb} MB, $cpus CPUs); started: ${started[*]:-nothing, already up}"
