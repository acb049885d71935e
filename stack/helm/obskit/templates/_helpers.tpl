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
app.kubernetes.io/name: {{ include "obskit.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Image reference; the tag defaults to the chart's appVersion. Call with (list $ .Values.x.image). */}}
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
