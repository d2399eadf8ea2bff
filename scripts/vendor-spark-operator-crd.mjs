// Vendors the Spark Operator's v1beta2 CRD schemas for test/unit/render-spark-operator.test.ts: the
// openAPIV3Schema of each CRD, without descriptions, and with the pod-level subtrees mlship never renders
// (affinity, volumes, sidecars, pod templates, …) cut to their type. Run it on a checkout of kubeflow/spark-operator:
//   node scripts/vendor-spark-operator-crd.mjs /path/to/spark-operator COMMIT
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

const [repo, commit] = process.argv.slice(2);
if (!repo || !commit) throw new Error("usage: vendor-spark-operator-crd.mjs SPARK_OPERATOR_CHECKOUT COMMIT");

// Schema keywords the structural check reads; everything else (descriptions, printer columns) is dropped.
const KEEP = new Set(["type", "required", "enum", "format", "minimum", "maximum", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields"]);
// Big Kubernetes core types under a pod spec that mlship never emits: kept as their type only.
const CUT = new Set(["affinity", "volumes", "volumeMounts", "initContainers", "sidecars", "template", "securityContext", "podSecurityContext",
  "lifecycle", "tolerations", "dnsConfig", "hostAliases", "ports", "driverIngressOptions", "driverPodDisruptionBudget", "monitoring",
  "sparkUIOptions", "batchSchedulerOptions", "envFrom", "status", "readinessProbe", "livenessProbe", "resources"]);

function prune(schema, name, top) {
  const out = Object.fromEntries(Object.entries(schema).filter(([k]) => KEEP.has(k)));
  // spec.template of a ScheduledSparkApplication is the SparkApplication spec: kept whole.
  if (CUT.has(name) && !top) return { ...out, "x-mlship-pruned": true };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, prune(v, k, false)]));
  if (schema.items) out.items = prune(schema.items, `${name}[]`, false);
  if (typeof schema.additionalProperties === "object") out.additionalProperties = prune(schema.additionalProperties, `${name}{}`, false);
  return out;
}

for (const kind of ["sparkapplications", "scheduledsparkapplications"]) {
  const path = `config/crd/bases/sparkoperator.k8s.io_${kind}.yaml`;
  const crd = parse(readFileSync(join(repo, path), "utf8"));
  const version = crd.spec.versions.find((v) => v.name === "v1beta2");
  const schema = version.schema.openAPIV3Schema;
  const spec = schema.properties.spec;
  // Keep spec.template (ScheduledSparkApplication) whole: it is the SparkApplication spec the renderer fills.
  const pruned = prune(schema, "", true);
  if (spec.properties.template) pruned.properties.spec.properties.template = prune(spec.properties.template, "template", true);
  const header = [
    `# ${crd.spec.names.kind} v1beta2, openAPIV3Schema, vendored by scripts/vendor-spark-operator-crd.mjs from`,
    `# https://github.com/kubeflow/spark-operator/blob/${commit}/${path}`,
    "# Descriptions dropped; pod-level subtrees mlship never renders cut to their type (x-mlship-pruned).",
  ].join("\n");
  const file = `test/fixtures/spark-operator/${kind}.v1beta2.schema.yaml`;
  writeFileSync(file, `${header}\n${stringify({ kind: crd.spec.names.kind, apiVersion: `${crd.spec.group}/v1beta2`, openAPIV3Schema: pruned })}`);
  console.log(file);
}
