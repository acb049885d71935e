// jsonnet -S prometheus_alerts.jsonnet > prometheus_alerts.yaml
std.manifestYamlDoc((import 'mixin.libsonnet').prometheusAlerts)
