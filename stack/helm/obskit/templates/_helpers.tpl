{{/* Chart name, or nameOverride. */}}
{{- define "obskit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: <release>-<chart>, or fullnameOverride. */}}
{{- define "obskit.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "obskit.labels" -}}
{{- $labels := dict
  "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-")
  "app.kubernetes.io/name" (include "obskit.name" .)
  "app.kubernetes.io/instance" .Release.Name
  "app.kubernetes.io/version" .Chart.AppVersion
  "app.kubernetes.io/managed-by" .Release.Service
  "app.kubernetes.io/part-of" "obskit" }}
{{- toYaml (merge (dict) .Values.commonLabels $labels) }}
{{- end }}

{{/* Labels of the objects Prometheus selects (monitors and rules): the selector labels come first. */}}
{{- define "obskit.monitoringLabels" -}}
{{- toYaml (merge (dict) .Values.prometheusSelectorLabels (include "obskit.labels" . | fromYaml)) }}
{{- end }}

{{/* Labels that select the pods of one component; call with (list $ "component"). */}}
{{- define "obskit.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "obskit.name" $root | quote }}
app.kubernetes.io/instance: {{ $root.Release.Name | quote }}
app.kubernetes.io/component: {{ index . 1 | quote }}
{{- end }}

{{/* Image reference, unquoted; the tag defaults to the chart's appVersion. Call with (list $ .Values.x.image). */}}
{{- define "obskit.image" -}}
{{- $root := index . 0 }}
{{- $image := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* A monitor's namespaceSelector from a list of namespaces: every namespace when the list is empty. */}}
{{- define "obskit.namespaceSelector" -}}
{{- if . -}}
matchNames:
  {{- toYaml . | nindent 2 }}
{{- else -}}
any: true
{{- end }}
{{- end }}

{{/*
Name of a component's object: "<fullname>-<suffix>", the fullname shortened first so that the whole stays within 63
characters (Service names and label values allow no more) and the suffix, which tells the objects apart, is kept.
Truncating after appending the suffix would give every object of a long fullname the same name. Call with
(list $ "suffix").
*/}}
{{- define "obskit.componentName" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $room := sub 62 (len $suffix) | int }}
{{- if lt $room 1 }}
{{- fail (printf "the object name suffix %q is longer than 61 characters: rename the file it comes from" $suffix) }}
{{- end }}
{{- printf "%s-%s" (include "obskit.fullname" $root | trunc $room | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Name of a Service: a component name that must also be a DNS-1035 label (a letter first, no "."), which the release
name and fullnameOverride need not be for the other objects.
*/}}
{{- define "obskit.serviceName" -}}
{{- $name := include "obskit.componentName" . }}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $name) }}
{{- fail (printf "the Service name %q is no DNS-1035 label (lowercase letters, digits and \"-\", a letter first): choose a release name or fullnameOverride that starts with a letter and has no \".\"" $name) }}
{{- end }}
{{- $name }}
{{- end }}

{{/* A Prometheus duration (1h30m, 90s, 500ms, ...) in milliseconds. */}}
{{- define "obskit.durationMillis" -}}
{{- $units := dict "y" 31536000000 "w" 604800000 "d" 86400000 "h" 3600000 "m" 60000 "s" 1000 "ms" 1 }}
{{- $millis := 0 }}
{{- range $part := regexFindAll "[0-9]+(ms|y|w|d|h|m|s)" (toString .) -1 }}
{{- $unit := regexFind "[a-z]+$" $part }}
{{- $millis = add $millis (mul (trimSuffix $unit $part | int64) (index $units $unit)) }}
{{- end }}
{{- $millis }}
{{- end }}

{{/*
Refuses a scrape timeout longer than the interval, which Prometheus rejects for the whole scrape configuration (the
Operator's generated config then fails to load). Call with (list "serviceMonitor" .Values.serviceMonitor).
*/}}
{{- define "obskit.checkScrapeTimeout" -}}
{{- $name := index . 0 }}
{{- $values := index . 1 }}
{{- if and $values.interval $values.scrapeTimeout }}
{{- $interval := include "obskit.durationMillis" $values.interval | int64 }}
{{- $timeout := include "obskit.durationMillis" $values.scrapeTimeout | int64 }}
{{- if and (gt $interval 0) (gt $timeout $interval) }}
{{- fail (printf "%s.scrapeTimeout (%s) is longer than %s.interval (%s): Prometheus refuses a scrape timeout over the interval" $name $values.scrapeTimeout $name $values.interval) }}
{{- end }}
{{- end }}
{{- end }}
