// jsonnet -S prometheus_rules.jsonnet > prometheus_rules.yaml
std.manifestYamlDoc((import 'mixin.libsonnet').prometheusRules)
