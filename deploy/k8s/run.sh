#!/usr/bin/env bash
# Runs the sharded forecast on the cluster kubectl points at: the model as
# a ConfigMap, the shards' Indexed Job, a wait for it, then the merge Job.
#
#   deploy/k8s/run.sh model.yaml
#
# The image funnelsim:latest must be where the cluster pulls from (build it
# with deploy/k8s/Dockerfile and push it; set image: in shards.yaml and
# merge.yaml to its name there). The outputs are on the funnelsim-runs
# volume, in q3-forecast/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
model=${1:?usage: run.sh MODEL.yaml}
kubectl apply -f "$here/storage.yaml"
kubectl create configmap funnelsim-model --from-file=model.yaml="$model" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f "$here/shards.yaml"
kubectl wait --for=condition=complete --timeout=24h job/funnelsim-shards
kubectl apply -f "$here/merge.yaml"
kubectl wait --for=condition=complete --timeout=2h job/funnelsim-merge
kubectl logs job/funnelsim-merge
