{{/*
The seven services: what is fixed by the code (the module, how the others name it in their
environment, which infrastructure it reads, whom it calls over gRPC). What an operator tunes
(port, replicas, resources, autoscaling...) is in values.yaml under the same key.
The calls follow the gRPC clients of each application.properties (quarkus.grpc.clients.*):
gateway -> router, mcp-config, zigbee (devices.watch); router -> llm-adapter, mcp-config (and stt, tts for voice turns);
mcp-config -> zigbee (the device tools); zigbee -> mcp-config (rooms and risk classes of devices).
wyomingEnv: the service also serves Wyoming (Home Assistant) on values.<key>.wyoming.port, set by this variable.
*/}}
{{- define "hearth.components" -}}
gateway:
  name: gateway
  module: gateway-service
  envPrefix: HEARTH_GATEWAY
  calls: [router, mcpConfig, zigbee]
  redis: true
router:
  name: router
  module: router-service
  envPrefix: HEARTH_ROUTER
  calls: [llmAdapter, mcpConfig, stt, tts]
  redis: true
llmAdapter:
  name: llm-adapter
  module: llm-adapter-service
  envPrefix: HEARTH_LLM_ADAPTER
  calls: []
  providerKeys: true
  providers: true
tts:
  name: tts
  module: tts-service
  envPrefix: HEARTH_TTS
  calls: []
  redis: true
  wyomingEnv: HEARTH_TTS_WYOMING_SERVER_PORT
stt:
  name: stt
  module: stt-service
  envPrefix: HEARTH_STT
  calls: [mcpConfig]
  wyomingEnv: HEARTH_STT_WYOMING_SERVER_PORT
mcpConfig:
  name: mcp-config
  module: mcp-config-service
  envPrefix: HEARTH_CONFIG
  calls: [zigbee]
  redis: true
  postgres: true
  providerKeys: true
  bootstrapKey: true
  mcpServers: true
  localLlm: true
zigbee:
  name: zigbee
  module: zigbee-service
  envPrefix: HEARTH_ZIGBEE
  calls: [mcpConfig]
  mqtt: true
{{- end }}

{{- define "hearth.componentKeys" -}}
[gateway, router, llmAdapter, tts, stt, mcpConfig, zigbee]
{{- end }}

{{- define "hearth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hearth.fullname" -}}
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

{{/* The name of one service's objects: <fullname>-<service>. Argument: (dict "root" $ "name" "gateway"). */}}
{{- define "hearth.componentName" -}}
{{- printf "%s-%s" (include "hearth.fullname" .root | trunc 50 | trimSuffix "-") .name }}
{{- end }}

{{- define "hearth.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hearth.labels" -}}
helm.sh/chart: {{ include "hearth.chart" . }}
app.kubernetes.io/name: {{ include "hearth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hearth
{{- end }}

{{/* Selector labels of one service's pods. Argument: (dict "root" $ "name" "gateway"). */}}
{{- define "hearth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hearth.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "hearth.componentLabels" -}}
{{ include "hearth.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* The image tag: image.tag, else the chart's appVersion (+ "-native" for native images, as the
native profile tags them); "latest" is refused. */}}
{{- define "hearth.imageTag" -}}
{{- $default := .Chart.AppVersion -}}
{{- if eq .Values.image.flavor "native" -}}
{{- $default = printf "%s-native" .Chart.AppVersion -}}
{{- end -}}
{{- $tag := toString (default $default .Values.image.tag) -}}
{{- if eq (lower $tag) "latest" -}}
{{- fail "image.tag must not be \"latest\": pin a version (leave image.tag empty to use the chart's appVersion)" -}}
{{- end -}}
{{- $tag -}}
{{- end }}

{{/* image reference of one service. Argument: (dict "root" $ "module" "gateway-service"). */}}
{{- define "hearth.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s/%s" (trimSuffix "/" $img.repository) .module -}}
{{- if $img.registry -}}
{{- $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo -}}
{{- end -}}
{{- printf "%s:%s" $repo (include "hearth.imageTag" .root) -}}
{{- end }}

{{- define "hearth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hearth.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Checks run once, before anything renders: clear messages for missing or contradictory values. */}}
{{- define "hearth.validate" -}}
{{- $_ := required "secrets.existingSecret is required: the name of an existing Secret holding the provider API keys (OPENAI_API_KEY, ...) and HEARTH_BOOTSTRAP_API_KEY; every key in it is optional" .Values.secrets.existingSecret -}}
{{- $_ := required "postgresql.host is required: the address of the PostgreSQL server mcp-config-service uses" .Values.postgresql.host -}}
{{- $_ := required "postgresql.existingSecret is required: the name of an existing Secret holding the database password (key postgresql.passwordKey)" .Values.postgresql.existingSecret -}}
{{- $_ := required "redis.url is required: e.g. redis://redis-master:6379" .Values.redis.url -}}
{{- $_ := required "mqtt.host is required: the MQTT broker Zigbee2MQTT talks to" .Values.mqtt.host -}}
{{- $_ := include "hearth.imageTag" . -}}
{{- range $key := (include "hearth.componentKeys" . | fromYamlArray) }}
{{- $v := index $.Values $key }}
{{- if and $v.pdb.enabled (lt (int $v.replicaCount) 1) }}
{{- fail (printf "%s.pdb.enabled is true but %s.replicaCount is %v: a PodDisruptionBudget needs at least one replica (set replicaCount >= 1 or pdb.enabled=false)" $key $key $v.replicaCount) }}
{{- end }}
{{- if and (hasKey $v "autoscaling") $v.autoscaling.enabled }}
{{- if lt (int $v.autoscaling.maxReplicas) (int $v.autoscaling.minReplicas) }}
{{- fail (printf "%s.autoscaling.maxReplicas (%v) is below minReplicas (%v)" $key $v.autoscaling.maxReplicas $v.autoscaling.minReplicas) }}
{{- end }}
{{- if lt (int $v.autoscaling.minReplicas) 1 }}
{{- fail (printf "%s.autoscaling.minReplicas must be at least 1" $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- fail "ingress.enabled is true but ingress.hosts is empty: give at least one host" }}
{{- end }}
{{- end }}
