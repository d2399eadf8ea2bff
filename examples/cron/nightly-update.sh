#!/bin/sh
# Nightly: a child of churn@production from only the data that arrived since (docs/updating.md).
# Safe to run twice; exit codes: 0 updated or nothing new, 3 registered but not promoted, 2 needs a person,
# 1 failed (nothing registered; tomorrow retries the same files), 130 stopped.
#   crontab:  30 2 * * *  /srv/mlship/examples/cron/nightly-update.sh >> /var/log/mlship-nightly.log 2>&1
# A full retrain now and then refits the feature stages (new categories, drifted scales):
#   crontab:  0 3 * * 0   cd /srv/mlship && bin/mlship train jobs/quickstart.yaml --quiet --json
set -u
cd "$(dirname "$0")/../.." || exit 1
SPEC=${MLSHIP_SPEC:-jobs/quickstart.yaml}
MODEL=${MLSHIP_MODEL:-churn}
FROM=${MLSHIP_FROM:-production}
# The alias does not exist before the first promotion: start from the newest version then.
if ! bin/mlship models show "$MODEL@$FROM" --json >/dev/null 2>&1; then FROM=latest; fi
bin/mlship update "$SPEC" --from "$MODEL@$FROM" --quiet --json
status=$?
case $status in
  0) ;;
  3) echo "mlship: $MODEL updated but not promoted (see the JSON above)" >&2 ;;
  *) echo "mlship: nightly update of $MODEL failed with exit $status" >&2 ;;
esac
exit $status
