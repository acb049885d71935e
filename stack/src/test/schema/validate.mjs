// Reads a JSON array of Kubernetes objects on stdin and validates each against the schema of its kind:
// kubernetes-models for the Kubernetes API, @kubernetes-models/prometheus-operator for monitoring.coreos.com,
// @kubernetes-models/grafana-operator for grafana.integreatly.org (generated from the CRDs' openAPIV3Schema).
// Prints one line per object: "OK kind/name", "INVALID kind/name: reasons" or "NO-SCHEMA kind/name"; exits 1 when
// an object is invalid.
//
// The generated validators ignore fields their schema does not declare, but the API server rejects such fields
// (strict field validation) or drops them (pruning of custom resources): a misspelt field would not do its job.
// So every field is also probed: its value is replaced by one of another JSON type, and the schema must reject the
// object at that field, which it does only for a field it declares.
import { readFileSync } from "node:fs";

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "monitoring.coreos.com") {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  }
  if (group === "grafana.integreatly.org") {
    return `@kubernetes-models/grafana-operator/grafana.integreatly.org/${version}/${kind}`;
  }
  if (group === "" || !group.includes(".") || group.endsWith(".k8s.io")) {
    return `kubernetes-models/${group === "" ? "" : group + "/"}${version}/${kind}`;
  }
  return null;
}

function schemaErrors(model, object) {
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    if (!Array.isArray(error.errors)) {
      throw error;
    }
    return error.errors;
  }
}

function pointer(path) {
  return path.map((key) => "/" + String(key).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

function withValueAt(object, path, value) {
  const copy = structuredClone(object);
  let parent = copy;
  for (const key of path.slice(0, -1)) {
    parent = parent[key];
  }
  parent[path.at(-1)] = value;
  return copy;
}

function ofAnotherType(value) {
  return typeof value === "object" && value !== null ? 0 : [];
}

// The paths of the fields the schema does not declare (not those below them), depth first.
function undeclaredFields(model, object, value = object, path = []) {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => undeclaredFields(model, object, item, [...path, index]));
  }
  if (typeof value !== "object" || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const field = [...path, key];
    const errors = schemaErrors(model, withValueAt(object, field, ofAnotherType(child)));
    if (!errors.some((error) => error.instancePath === pointer(field))) {
      return [pointer(field)];
    }
    return undeclaredFields(model, object, child, field);
  });
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
  } catch (error) {
    invalid = true;
    console.log(`INVALID ${id}: ${error.message}`);
    continue;
  }
  const undeclared = undeclaredFields(model, object);
  if (undeclared.length > 0) {
    invalid = true;
    console.log(`INVALID ${id}: fields not in the schema (the API server would drop them): ${undeclared.join(", ")}`);
    continue;
  }
  console.log(`OK ${id}`);
}
process.exit(invalid ? 1 : 0);
