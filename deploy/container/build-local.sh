#!/bin/sh
# Builds deploy/container/Containerfile and runs it on a machine with no Docker engine and no registry access, then
# asks the container's /v2/health/ready. Needs root, podman, runc and debootstrap (apt-get install podman runc debootstrap).
# Takes minutes (here: about 16 min under heavy load, mostly npm ci, tsc and vfs layer copies; 2 s from run to ready),
# so it is not a CI test. SKIP_BUILD=1 runs the image built last time.
# The Node base is made from Debian packages (debootstrap) plus this machine's own Node (20+), since no base image
# can be pulled; with registry access, skip all that: podman build -f deploy/container/Containerfile .
# Usage: deploy/container/build-local.sh STORE_DIR MODEL_REF     (e.g. ./mlship-store churn@staging)
set -eu
STORE=$(cd "$1" && pwd); MODEL=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${MLSHIP_CONTAINER_WORK:-/tmp/mlship-container}
PODMAN="podman --storage-driver vfs"
BASE=localhost/mlship-node-base:local
PORT=${PORT:-18080}

if ! $PODMAN image exists $BASE; then
  [ -d "$WORK/rootfs/usr" ] || debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian
  NODE=$(command -v node)
  cp "$(readlink -f "$NODE")" "$WORK/rootfs/usr/bin/node"
  NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  mkdir -p "$WORK/rootfs/usr/lib/node_modules" && rm -rf "$WORK/rootfs/usr/lib/node_modules/npm" && cp -a "$NPM_DIR" "$WORK/rootfs/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$WORK/rootfs/usr/bin/npm"
  cp /etc/resolv.conf "$WORK/rootfs/etc/resolv.conf"
  # This machine's CA bundle: the npm registry may only be reachable through a TLS-intercepting proxy.
  mkdir -p "$WORK/rootfs/etc/ssl/certs" && cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$WORK/rootfs/etc/ssl/certs/mlship-build-ca.crt"
  tar -C "$WORK/rootfs" -c . | $PODMAN import --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/mlship-build-ca.crt" - $BASE
fi

[ "${SKIP_BUILD:-}" = 1 ] || $PODMAN build --isolation chroot --network host --format docker --build-arg NODE_IMAGE=$BASE -f "$ROOT/deploy/container/Containerfile" -t localhost/mlship-serve:local "$ROOT"
# Running, in a sandbox with hybrid cgroups and no CAP_SYS_RESOURCE: crun refuses hybrid cgroups, so runc with cgroupfs;
# rlimits no higher than ours; no systemd, so the HEALTHCHECK timer is off and its command is run by hand below.
RUN="$PODMAN --cgroup-manager cgroupfs --runtime runc"
$RUN rm -f mlship-serve-local >/dev/null 2>&1 || true
$RUN run -d --name mlship-serve-local --network host --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --no-healthcheck \
  -v "$STORE:/store:ro" -e MLSHIP_STORE=/store \
  --entrypoint node localhost/mlship-serve:local /opt/mlship/bin/mlship serve --host 0.0.0.0 --port "$PORT" --json-logs --model "$MODEL"
i=0
until curl -fs "http://127.0.0.1:$PORT/v2/health/ready"; do
  i=$((i + 1)); [ $i -lt 60 ] || { $RUN logs mlship-serve-local; $RUN rm -f mlship-serve-local; exit 1; }; sleep 1
done
echo
$RUN exec mlship-serve-local node -e "fetch('http://127.0.0.1:$PORT/v2/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" && echo "healthcheck command: ok"
$RUN exec mlship-serve-local id
$RUN exec mlship-serve-local sh -c 'if command -v java || command -v python3; then exit 1; else echo "no java, no python"; fi'
$RUN logs mlship-serve-local | head -5
$RUN rm -f mlship-serve-local >/dev/null
