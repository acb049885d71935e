{{/*
The exporter container, shared by the DaemonSet and the sidecar snippet of README.md. It finds the Passenger instance
the way passenger-status does, through PASSENGER_INSTANCE_REGISTRY_DIR, which the volume "passenger-instreg" holds.
*/}}
{{- define "obskit.passengerExporter.container" -}}
{{- $root := index . 0 }}
{{- with $root.Values.passengerExporter -}}
name: passenger-exporter
image: {{ include "obskit.image" (list $root .image) }}
imagePullPolicy: {{ .image.pullPolicy }}
command:
  {{- toYaml .command | nindent 2 }}
args:
  - serve
  - --port
  - {{ .port | quote }}
  - --socket
  {{- with .extraArgs }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
env:
  - name: PASSENGER_INSTANCE_REGISTRY_DIR
    value: {{ .instanceRegistryDir }}
ports:
  - name: passenger-metrics
    containerPort: {{ .port }}
    protocol: TCP
readinessProbe:
  httpGet:
    path: /metrics
    port: passenger-metrics
  periodSeconds: 30
  timeoutSeconds: 10
securityContext:
  {{- toYaml .securityContext | nindent 2 }}
resources:
  {{- toYaml .resources | nindent 2 }}
volumeMounts:
  - name: passenger-instreg
    mountPath: {{ .instanceRegistryDir }}
    readOnly: true
  - name: tmp
    mountPath: /tmp
{{- end }}
{{- end }}
