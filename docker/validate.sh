#!/usr/bin/env bash
# Checks the container artifacts with the real tools, where they are installed:
#   docker-compose config -q   the compose file (with dummy values for the required passwords)
#   yamllint -d relaxed        every YAML file under docker/
#   promtool check config      the Prometheus configuration
#   kubectl kustomize          the Kubernetes manifests build as one kustomization
#   management port            python3 (with PyYAML): health and metrics are probed and scraped on
#                              the management port (8081), which no Service or host port exposes
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

management_port() {
  python3 - "$here" <<'PY'
import glob, os, re, sys
import yaml

here, port, problems = sys.argv[1], 8081, []
compose = yaml.safe_load(open(os.path.join(here, "compose.yaml")))
for name, service in compose["services"].items():
    for mapping in service.get("ports") or []:
        if str(mapping).split(":")[-1].split("/")[0] == str(port):
            problems.append(f"compose: {name} publishes the management port ({mapping})")
for job in yaml.safe_load(open(os.path.join(here, "prometheus", "prometheus.yml")))["scrape_configs"]:
    for sd in job.get("dns_sd_configs") or []:
        if sd.get("port") != port:
            problems.append(f"prometheus: job {job['job_name']} scrapes port {sd.get('port')}")
for path in glob.glob(os.path.join(here, "Dockerfile.*")):
    text = open(path).read()
    if re.search(r"^HEALTHCHECK", text, re.M) and "${MANAGEMENT_PORT}/health/ready" not in text:
        problems.append(f"{os.path.basename(path)}: HEALTHCHECK is not on the management port")
for path in glob.glob(os.path.join(here, "k8s", "*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if not doc:
            continue
        if doc["kind"] == "Service":
            for p in doc["spec"].get("ports", []):
                if str(p.get("targetPort")) in ("management", str(port)) or p.get("port") == port:
                    problems.append(f"{os.path.basename(path)}: Service exposes the management port")
        if doc["kind"] == "Deployment":
            pod = doc["spec"]["template"]
            for c in pod["spec"]["containers"]:
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    if probe in c and c[probe]["httpGet"]["port"] != "management":
                        problems.append(f"{os.path.basename(path)}: {probe} not on the management port")
            if pod["metadata"].get("annotations", {}).get("prometheus.io/port") != str(port):
                problems.append(f"{os.path.basename(path)}: Prometheus annotation not on {port}")
for problem in problems:
    print("   " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
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

if python3 -c 'import yaml' > /dev/null 2>&1; then
  check "management port kept apart (compose, Prometheus, Dockerfiles, k8s/)" management_port
else
  skipped+=("management port (python3 with PyYAML)")
fi

for s in "${skipped[@]+"${skipped[@]}"}"; do
  echo "-- skipped: $s"
done

if [ "$failed" -ne 0 ]; then
  echo "validate.sh: FAILED" >&2
  exit 1
fi
echo "validate.sh: ${ran} check(s) passed, ${#skipped[@]} skipped"
