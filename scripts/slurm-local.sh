#!/usr/bin/env bash
# A private single-node Slurm cluster on localhost, for tests and for trying `espbench sweep --slurm`
# without a real cluster (Debian's slurm-wlm + munge; install: ESPBENCH_WITH_SLURM=1 scripts/install-deps.sh).
#
#   scripts/slurm-local.sh up DIR [CTLD_PORT SLURMD_PORT [CPUS]]   # prints: export SLURM_CONF=DIR/slurm.conf
#   SLURM_CONF=DIR/slurm.conf sbatch ...; squeue; sinfo
#   scripts/slurm-local.sh down DIR                               # stops the daemons by PID
#
# Everything lives under DIR: config, munge socket and key, state, spool, logs, PID files. No
# cgroups (proctrack/linuxproc, task/none), runs as root. Ports default to 6817/6818 + a random
# offset. Exit status of `up`: 0 = idle node ready; 3 = cannot run here (not root, packages
# missing), reason on stderr; 1 = the daemons did not come up (log tail on stderr).
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 up|down DIR [CTLD_PORT SLURMD_PORT [CPUS]]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export SLURM_CONF=$dir/slurm.conf

stop_pid() {  # stop_pid PIDFILE: TERM, wait up to 10 s, then KILL
  local f=$1 pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f" 2>/dev/null || true)
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

if [[ "$cmd" == down ]]; then
  stop_pid "$dir/run/slurmd-localhost.pid"
  stop_pid "$dir/run/slurmctld.pid"
  stop_pid "$dir/munge/munged.pid"
  exit 0
fi
[[ "$cmd" == up ]] || { echo "$0: unknown command '$cmd' (up or down)" >&2; exit 2; }

if [[ $(id -u) -ne 0 ]]; then echo "slurm-local: needs root (SlurmUser=root)" >&2; exit 3; fi
missing=()
for b in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$b" >/dev/null 2>&1 || [[ -x /usr/sbin/$b ]] || missing+=("$b")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "slurm-local: missing ${missing[*]} (install: ESPBENCH_WITH_SLURM=1 scripts/install-deps.sh)" >&2
  exit 3
fi
export PATH=$PATH:/usr/sbin

off=$(( RANDOM % 2000 ))
ctld_port=${3:-$(( 36817 + 2 * off ))}
slurmd_port=${4:-$(( ctld_port + 1 ))}
cpus=${5:-$(nproc)}
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/run" "$dir/log"
chmod 755 "$dir" "$dir/munge"  # munged refuses a socket path that others cannot traverse
p=$dir
while [[ "$p" != / ]]; do
  p=$(dirname "$p")
  if [[ $(( 0$(stat -c %a "$p") & 1 )) -eq 0 ]]; then
    echo "slurm-local: munged needs every folder above its socket to be searchable by all; '$p' is not (chmod o+x it, or use another DIR)" >&2
    exit 1
  fi
done

cat > "$SLURM_CONF" <<CONF
ClusterName=espbench
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket.2
CredType=cred/munge
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
SchedulerParameters=batch_sched_delay=0
SlurmdParameters=config_overrides
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

fail() {
  echo "slurm-local: $1" >&2
  for f in "$dir"/munge/munged.log "$dir"/log/*.log; do
    [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
  done
  "$0" down "$dir" || true
  exit 1
}

rm -f "$dir/munge/munge.key"
mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 || fail "mungekey failed"
chmod 400 "$dir/munge/munge.key"
munged --socket="$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
  || fail "munged did not start"
slurmctld -i || fail "slurmctld did not start"
slurmd -N localhost || fail "slurmd did not start"
for _ in $(seq 300); do  # up to 30 s
  state=$(sinfo -h -N -o %T 2>/dev/null | head -n1 || true)
  [[ "$state" == idle ]] && { echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 0.1
done
fail "the node did not become idle within 30 s (state: '${state:-none}')"
