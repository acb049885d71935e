// obskit as a monitoring mixin, for kube-prometheus (jsonnet) users whose Grafana has no dashboard sidecar
// (kube-prometheus#922): the rule library and the dashboards of grafana-dashboards/, as they are.
//
// The build assembles the mixin in stack/target/mixin/obskit (and the zip stack-VERSION-mixin.zip): this file, and
// library.libsonnet, generated from the rule files (as JSON: Debian's jsonnet 0.18 cannot parse their multi-line
// YAML strings with std.parseYaml) and the dashboard files. See README.md.
local library = import 'library.libsonnet';

local prefix = 'cluster_namespace_job_env_application:http_server_requests';
local budget(objective) = std.format('%g', [(100 - objective) / 100]);
// The library's defaults (99.9 %, 99 % within le="0.5") sit in three rules; the _config's replace them.
local withSloDefaults(rule, slo) =
  if !std.objectHas(rule, 'record') then rule
  else if rule.record == prefix + '_5xx:error_budget' then
    rule { expr: std.strReplace(rule.expr, '+ 0.001', '+ ' + budget(slo.availabilityObjective)) }
  else if rule.record == prefix + '_slower_than_slo:error_budget' then
    rule { expr: std.strReplace(rule.expr, '+ 0.01', '+ ' + budget(slo.latencyObjective)) }
  else if rule.record == prefix + '_within_slo:rate5m' then
    rule { expr: std.strReplace(rule.expr, 'le="0.5"', 'le="' + slo.latencyThreshold + '"') }
  else rule;
local hasAlerts(group) = std.length([rule for rule in group.rules if std.objectHas(rule, 'alert')]) > 0;

{
  _config+:: {
    // Objectives of the services that publish none of their own (obskit_slo_objective_ratio: an older starter,
    // another framework); a service running the starter declares its own with observability.slo.*. The latency
    // threshold is a histogram bucket's le as the services' exposition writes it ('0.5', '1.0').
    slo: {
      availabilityObjective: 99.9,
      latencyObjective: 99,
      latencyThreshold: '0.5',
    },
  },
  local groups = [
    group { rules: [withSloDefaults(rule, $._config.slo) for rule in group.rules] }
    for group in std.flattenArrays([library.rules[file].groups for file in std.objectFields(library.rules)])
  ],
  // The mixin convention: groups with alerts, and groups of recording rules only; kube-prometheus' addMixin puts
  // both into one PrometheusRule.
  prometheusAlerts+:: { groups+: [group for group in groups if hasAlerts(group)] },
  prometheusRules+:: { groups+: [group for group in groups if !hasAlerts(group)] },
  // Parsed, for tools that edit dashboards; rawDashboards keeps every file byte for byte
  // (kube-prometheus: values.grafana.rawDashboards).
  grafanaDashboards+:: { [file]: std.parseJson(library.dashboards[file]) for file in std.objectFields(library.dashboards) },
  rawDashboards+:: library.dashboards,
}
