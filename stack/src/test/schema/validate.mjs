// Reads a JSON array of Kubernetes objects on stdin and validates each against the schema of its kind:
// kubernetes-models for the Kubernetes API, @kubernetes-models/prometheus-operator for monitoring.coreos.com.
// Prints one line per object: "OK kind/name", "INVALID kind/name: reasons" or "NO-SCHEMA kind/name"; exits 1 when
// an object is invalid.
import { readFileSync } from "node:fs";

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  }
  if (group === "" || !group.includes(".") || group.endsWith(".k8s.io")) {
    return `kubernetes-models/${group === "" ? "" : group + "/"}${version}/${kind}`;
  }
  return null;
}

const objects = JSON.parse(readFileSync(0, "utf8"));
let invalid = false;
for (const object of objects) {
  const id = `${object.kind}/${object.metadata?.name}`;
  const path = modulePath(object.apiVersion, object.kind);
  let model;
  try {
    model = path && (await import(path))[object.kind];
  } catch {
    model = undefined;
  }
  if (!model) {
    console.log(`NO-SCHEMA ${id}`);
    continue;
  }
  try {
    new model(object).validate();
    console.log(`OK ${id}`);
  } catch (error) {
    invalid = true;
    console.log(`INVALID ${id}: ${error.message}`);
  }
}
process.exit(invalid ? 1 : 0);
