#!/usr/bin/env bash
# Builds the MPI build of the tool (MPI/, sparsity-mpi) and checks what the MPI issue asks of it,
# on one machine with `mpirun --oversubscribe`:
#   1. the same --parts gives the same autoencoders (sae train: TopK, BatchTopK), the same dictionary
#      (learn-dictionary) and the same networks (train: MLPs and a CNN), bit for bit, from the
#      plain tool (one process) and from 1, 2 and 3 MPI ranks;
#   2. a rank that fails (here: its data file is missing) stops the job with an error naming
#      the rank, and no model is written;
#   3. a rank killed with SIGKILL in the middle of training ends the job with mpirun's message
#      naming it, and no model is written;
#   4. two "hosts" (network namespaces joined by a veth pair) over TCP give the same models as
#      one process (skipped, with a message, where network namespaces cannot be created).
# Needs Open MPI (scripts/bootstrap.sh mpi) and the plain tool (make build). Exit status 0 when
# every check passes; the first failure stops it with a message.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
plain="$root/.build/release/sparsity"
[ -x "$plain" ] || swift build -c release --product sparsity
(cd MPI && swift build -c release)
mpi="$root/MPI/.build/release/sparsity-mpi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
launch=(mpirun --oversubscribe --bind-to none)
[ "$(id -u)" -eq 0 ] && launch+=(--allow-run-as-root)
export OMPI_MCA_btl_vader_single_copy_mechanism=none  # containers often forbid cross-memory attach

fail() { echo "mpi.sh: $*" >&2; exit 1; }

# 3,000 rows of 32 floats, each a sum of 3 of 40 planted directions, as a float32 NPY file
# (perl is in every Debian base system; no Python needed).
perl -e 'srand(7); my ($rows, $width) = (3000, 32);
  my $header = "{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: ($rows, $width), }";
  $header .= " " x (63 - (10 + length($header)) % 64) . "\n";
  print "\x93NUMPY\x01\x00", pack("v", length($header)), $header;
  my @atoms = map { [ map { rand() * 2 - 1 } 1 .. $width ] } 1 .. 40;
  for (1 .. $rows) {
    my @row = (0) x $width;
    for (1 .. 3) { my $a = $atoms[int(rand(40))]; my $w = 1 + rand(); $row[$_] += $w * $a->[$_] for 0 .. $width - 1; }
    print pack("f<*", @row);
  }' > "$work/rows.npy"

# What must match of an output file: for a network's .safetensors file the tensors after the
# header (the header's history holds each epoch's wall-clock time), for others every byte.
payload() {
  case "$1" in
    *.safetensors) tail -c +$((9 + $(od -An -tu8 -N8 "$1" | tr -d ' '))) "$1" ;;
    *) cat "$1" ;;
  esac
}

# Whether output $2 matches the plain tool's output $1 (for a directory, its
# sae_weights.safetensors), as `payload` compares them.
same_output() {
  local compared="$work/plain-$1" other="$work/$2"
  [ -d "$compared" ] && compared="$compared/sae_weights.safetensors" other="$other/sae_weights.safetensors"
  cmp -s <(payload "$compared") <(payload "$other")
}

# The command after the label ($1) and output name ($2), on 1, 2 and 3 ranks, must write the
# plain tool's output byte for byte (for a directory, its sae_weights.safetensors; for a
# network, its tensors).
same_on_ranks() {
  local what=$1 file=$2; shift 2
  "$plain" "$@" --out "$work/plain-$file" > "$work/$file.plain.log"
  for ranks in 1 2 3; do
    "${launch[@]}" -np $ranks "$mpi" "$@" --out "$work/$ranks-$file" > "$work/$file.$ranks.log" 2>&1 \
      || { cat "$work/$file.$ranks.log" >&2; fail "$what on $ranks ranks failed"; }
    same_output "$file" "$ranks-$file" || fail "$what on $ranks ranks differs from one process"
    echo "mpi.sh: $ranks rank(s), $what: the output equals the single process's, bit for bit"
  done
}

args=(sae train --data "$work/rows.npy" --kind topk:4 --latents 64 --epochs 3 --batch 120 --parts 6 --seed 1)
same_on_ranks "sae train --parts 6" sae "${args[@]}"
grep -q "held-out FVU" "$work/sae.3.log" || fail "rank 0 printed no epoch lines"
# BatchTopK: the batch's threshold is found across the ranks (four exchanges of 256 counts).
same_on_ranks "sae train batchtopk --parts 6" batchtopk sae train --data "$work/rows.npy" --kind batchtopk:4 \
  --latents 64 --epochs 3 --batch 120 --parts 6 --seed 1

# 1b. Sharded dictionary learning: ranks code their own samples, the statistics travel.
same_on_ranks "learn-dictionary --parts 6" atoms.npy learn-dictionary --data "npy:$work/rows.npy" --atoms 24 --epochs 3 \
  --batch 90 --parts 6 --seed 2

# 1c. Data-parallel training of networks: an MLP with dropout, activation L1, weight L1 and
# pruning, and a small CNN with batch normalization and channel dropout, on the embedded digits;
# every rank loads them.
mlp=(train --layers 64,32 --dropout 0.2 --act-l1 1e-4 --l1 1e-5 --prune 0.5 --prune-start 1 --prune-end 2 --epochs 3
  --batch 60 --parts 6 --seed 3)
same_on_ranks "train --parts 6 (MLP)" mlp.safetensors "${mlp[@]}"
grep -q "Communication: rank 0 sent" "$work/mlp.safetensors.3.log" || fail "train printed no communication line"
same_on_ranks "train --parts 3 (sigmoid units, KL)" kl.safetensors train --layers 32 --activation sigmoid --kl 0.05:0.5 \
  --dropout 0.1 --epochs 2 --batch 60 --parts 3 --seed 5
same_on_ranks "train --parts 4 (CNN)" cnn.safetensors train --arch conv:4:3x3:p1,bn,relu,dropout2d:0.1,maxpool:2,flatten,32,relu \
  --epochs 2 --batch 50 --parts 4 --seed 4

# 2. One rank fails: rank 1 reads a missing file.
set +e
"${launch[@]}" -np 1 "$mpi" "${args[@]}" --out "$work/failed" : -np 1 "$mpi" sae train --data "$work/missing.npy" \
  --kind topk:4 --latents 64 --epochs 3 --batch 120 --parts 6 --seed 1 --out "$work/failed" > "$work/failed.log" 2>&1
status=$?
set -e
[ $status -ne 0 ] || fail "a failing rank left mpirun with status 0"
grep -q "sparsity: rank 1: .*missing.npy" "$work/failed.log" || { cat "$work/failed.log" >&2; fail "no error naming rank 1"; }
[ ! -e "$work/failed" ] || fail "a failed job wrote $work/failed"
echo "mpi.sh: a failing rank stops the job (status $status): $(grep -m1 'sparsity: rank 1' "$work/failed.log")"

# 3. A rank killed in the middle: a longer run, rank 1 killed once training has started.
long=(sae train --data "$work/rows.npy" --kind topk:4 --latents 512 --epochs 400 --batch 120 --parts 2 --seed 1)
set +e
"${launch[@]}" -np 2 "$mpi" "${long[@]}" --out "$work/killed" > "$work/killed.log" 2>&1 &
launcher=$!
for _ in $(seq 100); do
  grep -q "epoch 1/" "$work/killed.log" 2>/dev/null && break
  sleep 0.2
done
victim=$(pgrep -f "sparsity-mpi sae train .*--out $work/killed" | sort -n | tail -1)
[ -n "$victim" ] && kill -9 "$victim"
wait $launcher
status=$?
set -e
[ -n "$victim" ] || fail "no rank to kill"
[ $status -ne 0 ] || fail "mpirun exited 0 after a rank was killed"
[ ! -e "$work/killed" ] || fail "a killed job wrote $work/killed"
echo "mpi.sh: a killed rank ends the job (status $status): $(grep -m1 -i 'signal\|killed\|exited' "$work/killed.log" || true)"
# 4. Two hosts: two network namespaces joined by a veth pair, each with its own host name, so
# that the ranks talk over TCP (btl tcp) as on two machines; mpirun starts the second host's
# daemon through a launch agent instead of ssh. Needs root and permission to create network
# namespaces (CAP_SYS_ADMIN); without them the check is skipped, and says so.
two_hosts() {
  local ns=(sparsity-mpi-a-$$ sparsity-mpi-b-$$) veth=(spa$$ spb$$) address=(10.213.77.1 10.213.77.2)
  command -v ip >/dev/null 2>&1 || { echo "mpi.sh: skipped the two-host check: no ip command (iproute2)"; return; }
  ip netns add "${ns[0]}" 2>/dev/null || {
    echo "mpi.sh: skipped the two-host check: this machine does not let $(id -un) create network namespaces"
    return
  }
  trap 'ip netns del "'"${ns[0]}"'" 2>/dev/null; ip netns del "'"${ns[1]}"'" 2>/dev/null; rm -rf "$work"' EXIT
  ip netns add "${ns[1]}"
  ip link add "${veth[0]}" type veth peer name "${veth[1]}"
  for i in 0 1; do
    ip link set "${veth[$i]}" netns "${ns[$i]}"
    ip -n "${ns[$i]}" addr add "${address[$i]}/24" dev "${veth[$i]}"
    ip -n "${ns[$i]}" link set lo up
    ip -n "${ns[$i]}" link set "${veth[$i]}" up
  done
  # The launch agent: "agent [options] HOST COMMAND" runs COMMAND on HOST's namespace.
  cat > "$work/agent" <<AGENT
#!/bin/sh
while [ "\${1#-}" != "\$1" ]; do shift; done
case "\$1" in
  ${address[0]}) ns=${ns[0]} ;;
  ${address[1]}) ns=${ns[1]} ;;
  *) echo "agent: unknown host \$1" >&2; exit 1 ;;
esac
shift
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$ns; \$*"
AGENT
  chmod +x "$work/agent"
  printf '%s slots=1\n%s slots=1\n' "${address[@]}" > "$work/hosts"
  local run=(mpirun --hostfile "$work/hosts" -np 2 --bind-to none --mca plm_rsh_agent "$work/agent"
    --mca btl tcp,self --mca btl_tcp_if_include 10.213.77.0/24 --mca oob_tcp_if_include 10.213.77.0/24)
  [ "$(id -u)" -eq 0 ] && run+=(--allow-run-as-root)
  local check what file line
  for check in "train --parts 6 (MLP)|mlp.safetensors|${mlp[*]}" "sae train --parts 6|sae|${args[*]}"; do
    IFS='|' read -r what file line <<< "$check"
    # shellcheck disable=SC2086
    timeout 300 ip netns exec "${ns[0]}" unshare --uts sh -c "hostname ${ns[0]}; exec ${run[*]} $mpi $line --out $work/tcp-$file" \
      > "$work/tcp-$file.log" 2>&1 || { cat "$work/tcp-$file.log" >&2; fail "$what on two hosts failed"; }
    same_output "$file" "tcp-$file" || fail "$what on two hosts differs from one process"
    echo "mpi.sh: 2 hosts over TCP (network namespaces), $what: the output equals the single process's, bit for bit"
  done
}
two_hosts
echo "mpi.sh: all checks passed"
