#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (slurmctld and slurmd,
# with munge for authentication) whose state, logs and configuration live
# in the directory given as $1, installing Debian's slurm-wlm and munge
# when they are missing. It prints the SLURM_CONF to export. Stop it with
# scripts/slurm-cluster.sh DIR stop.
set -euo pipefail
dir=$(mkdir -p "$1" && cd "$1" && pwd)
conf=$dir/slurm.conf

if [[ ${2:-} == stop ]]; then
	# Each daemon saves its state as it stops: wait for it to go (10 s at
	# most), so that the caller may remove the folder.
	for p in slurmd slurmctld; do
		[[ -f $dir/$p.pid ]] || continue
		pid=$(cat "$dir/$p.pid")
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	exit 0
fi

sudo=
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	echo "installing slurm-wlm and munge from Debian's packages" >&2
	$sudo apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm munge >&2
fi

# munge: the package's key, its default socket (where Slurm looks).
if ! pgrep -x munged >/dev/null; then
	$sudo mkdir -p /run/munge /var/log/munge /var/lib/munge
	$sudo chown munge:munge /run/munge /var/log/munge /var/lib/munge
	if [[ ! -s /etc/munge/munge.key ]]; then
		$sudo mungekey --create --force
		$sudo chown munge:munge /etc/munge/munge.key
	fi
	$sudo -u munge munged 2>/dev/null || $sudo runuser -u munge -- munged
fi

host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
user=$(id -un)
mkdir -p "$dir/state" "$dir/spool" "$dir/jobs"
cat >"$conf" <<CONF
ClusterName=funnelsim
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf
$sudo slurmctld -f "$conf" -i
$sudo slurmd -f "$conf" -N "$host"
for _ in $(seq 60); do
	if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
		echo "$conf"
		exit 0
	fi
	sleep 1
done
echo "slurm-cluster: the node did not come up; the logs are in $dir" >&2
tail -20 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
exit 1
