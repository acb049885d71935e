// obskit as a monitoring mixin, for kube-prometheus (jsonnet) users whose Grafana has no dashboard sidecar
// (kube-prometheus#922): the rule library and the dashboards of grafana-dashboards/, as they are.
//
// The build assembles the mixin in stack/target/mixin/obskit (and the zip stack-VERSION-mixin.zip): this file, and
// library.libsonnet, generated from the rule files (as JSON: Debian's jsonnet 0.18 cannot parse their multi-line
// YAML strings with std.parseYaml) and the dashboard files. See README.md.
local library = import 'library.libsonnet';

local groups = std.flattenArrays([library.rules[file].groups for file in std.objectFields(library.rules)]);
local hasAlerts(group) = std.length([rule for rule in group.rules if std.objectHas(rule, 'alert')]) > 0;

{
  // The mixin convention: groups with alerts, and groups of recording rules only; kube-prometheus' addMixin puts
  // both into one PrometheusRule.
  prometheusAlerts+:: { groups+: [group for group in groups if hasAlerts(group)] },
  prometheusRules+:: { groups+: [group for group in groups if !hasAlerts(group)] },
  // Parsed, for tools that edit dashboards; rawDashboards keeps every file byte for byte
  // (kube-prometheus: values.grafana.rawDashboards).
  grafanaDashboards+:: { [file]: std.parseJson(library.dashboards[file]) for file in std.objectFields(library.dashboards) },
  rawDashboards+:: library.dashboards,
}
