{{/*
Names. Every object name is "<fullname>-<component>", cut to 63 characters (the limit of a
DNS label, which Services and many names must be).
*/}}
{{- define "localstore.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "localstore.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>": call with (list $ "component"). */}}
{{- define "localstore.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "localstore.fullname" $root | trunc 40 | trimSuffix "-") (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "localstore.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; call with (list $ "component"). */}}
{{- define "localstore.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ include "localstore.chart" $root }}
{{ include "localstore.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: localstore
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* What Services and Deployments select on; call with (list $ "component"). */}}
{{- define "localstore.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "localstore.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* An image reference; call with (list $ .Values.component.image). A digest wins over a tag. */}}
{{- define "localstore.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s/%s@%s" $root.Values.image.registry $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $root.Values.image.registry $image.repository (default $root.Chart.AppVersion $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "localstore.podSecurityContext" -}}
{{ toYaml .Values.podSecurityContext }}
{{- end -}}

{{- define "localstore.containerSecurityContext" -}}
{{ toYaml .Values.containerSecurityContext }}
{{- end -}}

{{- define "localstore.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The operator's ServiceAccount, also the subject of its RBAC. */}}
{{- define "localstore.operatorServiceAccount" -}}
{{ include "localstore.componentName" (list . "operator") }}
{{- end -}}

{{/* Values that must hold, checked once so that a bad install fails with a clear message. */}}
{{- define "localstore.validate" -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$" .Values.domain) -}}
{{- fail (printf "domain: %q is not a DNS name such as localstore.vn" .Values.domain) -}}
{{- end -}}
{{- if not (has .Values.routing.kind (list "gateway" "ingress" "none")) -}}
{{- fail (printf "routing.kind: %q must be gateway, ingress or none" .Values.routing.kind) -}}
{{- end -}}
{{- if lt (int .Values.controlPlane.replicas) 1 -}}
{{- fail "controlPlane.replicas: must be at least 1" -}}
{{- end -}}
{{- if and .Values.controlPlane.autoscaling.enabled (gt (int .Values.controlPlane.autoscaling.minReplicas) (int .Values.controlPlane.autoscaling.maxReplicas)) -}}
{{- fail "controlPlane.autoscaling.minReplicas: must not exceed maxReplicas" -}}
{{- end -}}
{{- if not (has .Values.controlPlane.smsProvider (list "viettel" "twilio" "log")) -}}
{{- fail (printf "controlPlane.smsProvider: %q must be viettel, twilio or log" .Values.controlPlane.smsProvider) -}}
{{- end -}}
{{- end -}}
