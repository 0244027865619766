#!/usr/bin/env bash
# Checks the container artifacts with the real tools, where they are installed:
#   docker-compose config -q   the compose file (with dummy values for the required passwords)
#   yamllint -d relaxed        every YAML file under docker/
#   promtool check config      the Prometheus configuration
#   kubectl kustomize          the Kubernetes manifests build as one kustomization
# A missing tool is reported as skipped; any failing check makes the script exit non-zero.
# On Debian: apt-get install -y docker-compose yamllint prometheus (kubectl is optional).
#
# Usage: docker/validate.sh          (from anywhere; paths are relative to this script)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
failed=0
ran=0
skipped=()

check() {
  local name="$1"
  shift
  echo "== ${name}"
  if "$@"; then
    echo "   ok"
  else
    echo "   FAILED: ${name}" >&2
    failed=1
  fi
  ran=$((ran + 1))
}

compose_config() {
  # Compose refuses to resolve the file while a required password is unset. Dummy values stand in
  # for the real ones, which live only in the operator's docker/.env; the process environment
  # takes precedence over that file, so its secrets are neither needed nor printed here.
  local dummy="validate-only-not-a-password"
  POSTGRES_PASSWORD="$dummy" \
    GATEWAY_DB_PASSWORD="$dummy" \
    CATALOG_DB_PASSWORD="$dummy" \
    ORDER_DB_PASSWORD="$dummy" \
    PAYMENT_DB_PASSWORD="$dummy" \
    PAYMENT_CARD_KEY="$dummy" \
    NOTIFICATION_DB_PASSWORD="$dummy" \
    GRAFANA_ADMIN_PASSWORD="$dummy" \
    docker-compose -f "$here/compose.yaml" config -q
}

kustomize_build() {
  kubectl kustomize "$here/k8s" > /dev/null
}

if command -v docker-compose > /dev/null 2>&1; then
  check "docker-compose config (compose.yaml)" compose_config
else
  skipped+=("docker-compose (apt-get install docker-compose)")
fi

if command -v yamllint > /dev/null 2>&1; then
  check "yamllint -d relaxed docker/" yamllint -d relaxed "$here"
else
  skipped+=("yamllint (apt-get install yamllint)")
fi

if command -v promtool > /dev/null 2>&1; then
  check "promtool check config (prometheus.yml)" \
    promtool check config "$here/prometheus/prometheus.yml"
else
  skipped+=("promtool (apt-get install prometheus)")
fi

if command -v kubectl > /dev/null 2>&1; then
  check "kubectl kustomize (k8s/)" kustomize_build
else
  skipped+=("kubectl kustomize (optional)")
fi

for s in "${skipped[@]+"${skipped[@]}"}"; do
  echo "-- skipped: $s"
done

if [ "$failed" -ne 0 ]; then
  echo "validate.sh: FAILED" >&2
  exit 1
fi
echo "validate.sh: ${ran} check(s) passed, ${#skipped[@]} skipped"
