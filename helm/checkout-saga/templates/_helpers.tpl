{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "checkout-saga.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; component names are appended to it. */}}
{{- define "checkout-saga.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "checkout-saga.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: checkout-saga
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "name" $name). */}}
{{- define "checkout-saga.selectorLabels" -}}
app.kubernetes.io/name: {{ include "checkout-saga.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Object name of one component; call with (dict "root" $ "name" $name). */}}
{{- define "checkout-saga.componentName" -}}
{{- printf "%s-%s" (include "checkout-saga.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* A component's settings over the shared defaults, as YAML; call with (dict "root" $ "name" $name). */}}
{{- define "checkout-saga.component" -}}
{{- $own := index .root.Values.components .name }}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) }}
{{- end }}

{{/* "true" when the component is deployed: psp follows psp.enabled, the others their own flag. */}}
{{- define "checkout-saga.enabled" -}}
{{- if eq .name "psp" }}
{{- ternary "true" "" (.root.Values.psp.enabled | default false) }}
{{- else }}
{{- $own := index .root.Values.components .name }}
{{- ternary "true" "" ($own.enabled | default false) }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the database URLs. */}}
{{- define "checkout-saga.databaseSecret" -}}
{{- default (printf "%s-databases" (include "checkout-saga.fullname" .)) .Values.databases.existingSecret }}
{{- end }}

{{/* In-cluster base URL of an HTTP component; call with (dict "root" $ "name" $name). */}}
{{- define "checkout-saga.url" -}}
{{- $c := index .root.Values.components .name }}
{{- printf "http://%s:%v" (include "checkout-saga.componentName" .) $c.port }}
{{- end }}
