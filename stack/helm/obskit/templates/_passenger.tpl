{{/*
The exporter container, shared by the DaemonSet and the sidecar snippet of README.md. It finds the Passenger instance
the way passenger-status does, through PASSENGER_INSTANCE_REGISTRY_DIR, which the volume "passenger-instreg" holds.
*/}}
{{- define "obskit.passengerExporter.container" -}}
{{- $root := index . 0 }}
{{- with $root.Values.passengerExporter -}}
name: passenger-exporter
image: {{ include "obskit.image" (list $root .image) | quote }}
imagePullPolicy: {{ .image.pullPolicy | quote }}
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
    value: {{ .instanceRegistryDir | quote }}
ports:
  - name: passenger-metrics
    containerPort: {{ .port | int }}
    protocol: TCP
readinessProbe:
  httpGet:
    path: /metrics
    port: passenger-metrics
  periodSeconds: 30
  timeoutSeconds: 10
securityContext:
  {{- include "obskit.passengerExporter.securityContext" .securityContext | nindent 2 }}
resources:
  {{- toYaml .resources | nindent 2 }}
volumeMounts:
  - name: passenger-instreg
    mountPath: {{ .instanceRegistryDir | quote }}
    readOnly: true
  - name: tmp
    mountPath: /tmp
{{- end }}
{{- end }}

{{/*
The exporter's securityContext. runAsNonRoot follows runAsUser unless set: true, but false for runAsUser 0, so that
`--set passengerExporter.securityContext.runAsUser=0` (root, to read Passenger's password file) gives a pod the
kubelet starts; it refuses runAsNonRoot: true together with runAsUser: 0.
*/}}
{{- define "obskit.passengerExporter.securityContext" -}}
{{- $context := deepCopy . }}
{{- $root := eq (toString (index $context "runAsUser")) "0" }}
{{- if not (hasKey $context "runAsNonRoot") }}
{{- $_ := set $context "runAsNonRoot" (not $root) }}
{{- else if and $root $context.runAsNonRoot }}
{{- fail "passengerExporter.securityContext: runAsNonRoot true and runAsUser 0 contradict each other, and the kubelet refuses to start the pod; leave runAsNonRoot out (the chart sets it from runAsUser) or set it to false" }}
{{- end }}
{{- toYaml $context }}
{{- end }}
