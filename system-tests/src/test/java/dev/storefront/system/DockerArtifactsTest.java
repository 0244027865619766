package dev.storefront.system;

import static dev.storefront.system.DockerFiles.at;
import static dev.storefront.system.DockerFiles.list;
import static dev.storefront.system.DockerFiles.map;
import static dev.storefront.system.DockerFiles.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.system.DockerFiles.Instruction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container artifacts under {@code docker/} are checked here, since no container engine runs on
 * the development machines: Dockerfiles, the compose file, Prometheus and Grafana configuration,
 * and the Kubernetes manifests all have to agree with the services' contract (module names,
 * environment variables, health endpoints, ports).
 */
class DockerArtifactsTest {

  private static final List<String> SERVICES =
      List.of("gateway", "catalog", "cart", "order", "payment", "notification");

  /** Service to the schema its database role owns; cart keeps no database. */
  private static final Map<String, String> SCHEMAS =
      Map.of(
          "gateway", "identity",
          "catalog", "catalog",
          "order", "orders",
          "payment", "payments",
          "notification", "notifications");

  /** Everything but the gateway talks to Kafka. */
  private static final Set<String> KAFKA_USERS =
      Set.of("catalog", "cart", "order", "payment", "notification");

  private static final List<String> PG_VARIABLES =
      List.of("PG_HOST", "PG_PORT", "PG_DATABASE", "PG_USER", "PG_PASSWORD", "PG_SCHEMA");

  /** {@code ${NAME:?message}}: compose refuses to start while NAME is unset or empty. */
  private static final Pattern REQUIRED_VARIABLE =
      Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]*}");

  /** {@code ${NAME:-}}: an optional secret, off (empty) unless given. */
  private static final Pattern OPTIONAL_VARIABLE = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*:-}");

  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY).*");

  /** Health and metrics in every container: apart from the service port (8080). */
  private static final String MANAGEMENT_PORT = "8081";

  private static final String CLUSTER_SERVICE = "storefront-cluster";

  /** The load generator's image and its example Job, which the kustomization leaves out. */
  private static final String LOAD_TESTS = "load-tests";

  private static final String LOAD_TEST_JOB = "load-test-job.example.yaml";

  private static final String LOAD_CLI = "dev.storefront.load.cli.LoadCli";

  private static Path root;
  private static Path docker;
  private static Map<String, Object> compose;
  private static Map<String, List<Map<String, Object>>> k8s;

  @BeforeAll
  static void load() throws IOException {
    root = DockerFiles.repositoryRoot();
    docker = root.resolve("docker");
    compose = DockerFiles.loadMap(docker.resolve("compose.yaml"));
    k8s = new LinkedHashMap<>();
    for (Path file : k8sFiles()) {
      k8s.put(file.getFileName().toString(), DockerFiles.loadAll(file));
    }
  }

  private static String module(String service) {
    return service + "-verticle";
  }

  // ---------------------------------------------------------------- Dockerfiles

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void dockerfileCopiesAndRunsTheServiceJar(String service) {
    String jar = module(service) + ".jar";
    List<Instruction> instructions =
        DockerFiles.dockerfile(docker.resolve("Dockerfile." + service));

    assertThat(arguments(instructions, "FROM")).containsExactly("eclipse-temurin:17-jre");
    assertThat(arguments(instructions, "COPY"))
        .as("COPY of the fat jar built by the module, from the repository root as context")
        .contains(module(service) + "/target/" + jar + " /app/" + jar);
    assertThat(arguments(instructions, "ENTRYPOINT")).hasSize(1);
    assertThat(DockerFiles.parseValue(arguments(instructions, "ENTRYPOINT").get(0)))
        .as("exec-form ENTRYPOINT, so that java is PID 1 and receives SIGTERM")
        .isEqualTo(
            List.of(
                "java",
                "-XX:InitialRAMPercentage=75",
                "-XX:MaxRAMPercentage=75",
                "-XX:-G1UseAdaptiveIHOP",
                "-jar",
                "/app/" + jar));
    assertThat(arguments(instructions, "EXPOSE"))
        .flatMap(ports -> List.of(ports.split("\\s+")))
        .contains("8080", MANAGEMENT_PORT, "5701");
    assertThat(arguments(instructions, "ENV"))
        .flatMap(env -> List.of(env.split("\\s+")))
        .as("the service port everywhere; health and metrics on a port of their own")
        .contains(
            "HTTP_PORT=8080",
            "HTTP_HOST=0.0.0.0",
            "MANAGEMENT_PORT=" + MANAGEMENT_PORT,
            "MANAGEMENT_HOST=0.0.0.0");
    assertThat(arguments(instructions, "HEALTHCHECK"))
        .singleElement()
        .asString()
        .as("readiness, on the management port")
        .contains("${MANAGEMENT_PORT}/health/ready")
        .doesNotContain("HTTP_PORT");

    List<String> users = arguments(instructions, "USER");
    assertThat(users).as("a USER instruction").isNotEmpty();
    assertThat(users.get(users.size() - 1)).isNotIn("root", "0", "root:root", "0:0");
    assertThat(instructions.get(instructions.size() - 1).keyword())
        .as("ENTRYPOINT comes last, after USER")
        .isIn("ENTRYPOINT", "CMD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void dockerignoreSendsTheJarToTheBuilder(String service) {
    Path ignore = docker.resolve("Dockerfile." + service + ".dockerignore");
    String jar = module(service) + "/target/" + module(service) + ".jar";

    assertThat(DockerFiles.read(ignore).lines().map(String::strip)).contains("*", "!" + jar);
  }

  @Test
  void everyImagedModuleIsBuiltByTheRootPom() {
    String pom = DockerFiles.read(root.resolve("pom.xml"));

    for (String service : SERVICES) {
      assertThat(pom).contains("<module>" + module(service) + "</module>");
    }
  }

  @Test
  void loadTestsDockerfileCopiesTheToolAndRunsItAsNonRoot() {
    List<Instruction> instructions =
        DockerFiles.dockerfile(docker.resolve("Dockerfile." + LOAD_TESTS));

    assertThat(DockerFiles.read(root.resolve("pom.xml")))
        .as("the root pom builds the module the image is made from")
        .contains("<module>" + LOAD_TESTS + "</module>");
    assertThat(arguments(instructions, "FROM")).containsExactly("eclipse-temurin:17-jre");
    assertThat(arguments(instructions, "COPY"))
        .as("COPY of the jar and its run-time dependencies, from the repository root as context")
        .contains("load-tests/target/load-tests.jar /app/load-tests.jar")
        .anySatisfy(copy -> assertThat(copy).matches("load-tests/target/lib/? /app/lib/?"));
    assertThat(arguments(instructions, "RUN"))
        .as("a user with the fixed uid the Job's runAsUser names")
        .anySatisfy(run -> assertThat(run).contains("useradd").contains("--uid 10001"));
    List<String> users = arguments(instructions, "USER");
    assertThat(users).as("a USER instruction").isNotEmpty();
    assertThat(users.get(users.size() - 1)).isEqualTo("10001");

    assertThat(arguments(instructions, "ENTRYPOINT")).hasSize(1);
    Object entrypoint = DockerFiles.parseValue(arguments(instructions, "ENTRYPOINT").get(0));
    assertThat(entrypoint)
        .as("exec-form ENTRYPOINT, so that java is PID 1")
        .isInstanceOf(List.class);
    List<String> command = ((List<?>) entrypoint).stream().map(String::valueOf).toList();
    assertThat(command.get(0)).isEqualTo("java");
    assertThat(command.get(command.size() - 1)).isEqualTo(LOAD_CLI);
    assertThat(command)
        .as("the class path the JVM expands itself: no shell runs in exec form")
        .containsSequence("-cp", "/app/load-tests.jar:/app/lib/*");

    assertThat(arguments(instructions, "CMD")).hasSize(1);
    Object cmd = DockerFiles.parseValue(arguments(instructions, "CMD").get(0));
    assertThat(cmd).as("exec-form CMD: the default arguments").isInstanceOf(List.class);
    List<String> defaults = ((List<?>) cmd).stream().map(String::valueOf).toList();
    assertThat(defaults).contains("--target");
    int results = defaults.indexOf("--results");
    assertThat(results).as("--results in the default arguments").isNotNegative();
    assertThat(arguments(instructions, "VOLUME"))
        .as("the reports' folder is a volume")
        .anySatisfy(volume -> assertThat(volume).contains(defaults.get(results + 1)));

    assertThat(arguments(instructions, "HEALTHCHECK")).as("a batch job serves nothing").isEmpty();
    assertThat(arguments(instructions, "EXPOSE")).as("a batch job serves nothing").isEmpty();
    assertThat(instructions.get(instructions.size() - 1).keyword())
        .as("ENTRYPOINT and CMD come last, after USER")
        .isIn("ENTRYPOINT", "CMD");
  }

  @Test
  void loadTestsDockerignoreSendsTheJarAndItsDependenciesToTheBuilder() {
    Path ignore = docker.resolve("Dockerfile." + LOAD_TESTS + ".dockerignore");
    List<String> lines = DockerFiles.read(ignore).lines().map(String::strip).toList();

    assertThat(lines).contains("*", "!load-tests/target/load-tests.jar");
    assertThat(lines).containsAnyOf("!load-tests/target/lib", "!load-tests/target/lib/");
  }

  // ---------------------------------------------------------------- compose

  @Test
  void composeHasTheServicesAndTheInfrastructure() {
    assertThat(map(compose, "services"))
        .containsKeys(SERVICES.toArray(String[]::new))
        .containsKeys("postgres", "kafka", "prometheus", "grafana");
    assertThat(string(compose, "services", "postgres", "image")).startsWith("postgres:15");
    assertThat(string(compose, "services", "kafka", "image")).isEqualTo("apache/kafka:3.7.1");
    assertThat(composeEnvironment("kafka"))
        .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void composeServiceIsBuiltFromItsDockerfile(String service) {
    Map<String, Object> definition = map(compose, "services", service);

    Path context = docker.resolve(string(definition, "build", "context")).normalize();
    assertThat(context).isEqualTo(root);
    assertThat(string(definition, "build", "dockerfile")).isEqualTo("docker/Dockerfile." + service);
    assertThat(context.resolve(string(definition, "build", "dockerfile"))).isRegularFile();
    assertThat(definition).doesNotContainKey("container_name"); // would forbid --scale
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void composeServiceEnvironmentCoversItsContract(String service) {
    Map<String, String> env = composeEnvironment(service);

    assertThat(env)
        .containsEntry("STOREFRONT_CLUSTER_NAME", "storefront")
        .containsEntry("HTTP_PORT", "8080")
        .containsEntry("MANAGEMENT_PORT", MANAGEMENT_PORT)
        .containsEntry("MANAGEMENT_HOST", "0.0.0.0")
        .containsKey("STOREFRONT_CLUSTER_MEMBERS");
    assertThat(list(compose, "services", service, "expose"))
        .as("Prometheus and the healthcheck reach the management port on the compose network")
        .map(String::valueOf)
        .contains("8080", MANAGEMENT_PORT);
    assertThat(List.of(env.get("STOREFRONT_CLUSTER_MEMBERS").split(",")))
        .as("cluster members are compose services")
        .isSubsetOf(map(compose, "services").keySet());

    if (SCHEMAS.containsKey(service)) {
      assertThat(env).containsKeys(PG_VARIABLES.toArray(String[]::new));
      assertThat(env)
          .containsEntry("PG_USER", service)
          .containsEntry("PG_SCHEMA", SCHEMAS.get(service))
          .containsEntry("PG_HOST", "postgres")
          .containsEntry("PG_DATABASE", "storefront");
      assertThat(env.get("PG_PASSWORD")).matches(REQUIRED_VARIABLE);
      assertThat(dependencyCondition(service, "postgres")).isEqualTo("service_healthy");
    } else {
      assertThat(env).doesNotContainKeys("PG_USER", "PG_PASSWORD");
    }
    if (KAFKA_USERS.contains(service)) {
      assertThat(env).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
      assertThat(dependencyCondition(service, "kafka")).isEqualTo("service_healthy");
    }
  }

  @Test
  void notificationsMailTheComposeMailCatcherAndARelayOnKubernetes() {
    assertThat(composeEnvironment("notification"))
        .containsEntry("MAIL_HOST", "${MAIL_HOST:-mail}")
        .containsEntry("MAIL_PORT", "${MAIL_PORT:-1025}");
    assertThat(map(compose, "services")).containsKey("mail");
    assertThat(list(compose, "services", "mail", "expose")).map(String::valueOf).contains("1025");
    assertThat(dependencyCondition("notification", "mail")).isEqualTo("service_started");

    Map<String, Object> container =
        map(k8sObject("Deployment", "notification"), "spec", "template", "spec", "containers", 0);
    assertThat(list(container, "env"))
        .map(variable -> string(variable, "name"))
        .contains("MAIL_HOST", "MAIL_PORT", "MAIL_PASSWORD", "SHOP_WEBHOOK_SECRET");
  }

  @Test
  void composePublishesTheGatewayOn8080() {
    assertThat(list(compose, "services", "gateway", "ports"))
        .map(String::valueOf)
        .as("host port 8080 (or a variable defaulting to it) to container port 8080")
        .anySatisfy(port -> assertThat(port).matches("(\\$\\{[A-Z0-9_]+:-8080}|8080):8080"));
    assertThat(list(compose, "services", "gateway", "ports"))
        .map(String::valueOf)
        .as("the management port is published nowhere")
        .noneSatisfy(port -> assertThat(port).endsWith(":" + MANAGEMENT_PORT));
    for (String service : SERVICES) {
      if (!service.equals("gateway")) {
        assertThat(list(compose, "services", service, "ports"))
            .as("%s is reached through the gateway and may be scaled", service)
            .isEmpty();
      }
    }
  }

  @Test
  void composeCommitsNoPassword() {
    List<String> offenders = new ArrayList<>();
    for (String service : map(compose, "services").keySet()) {
      composeEnvironment(service)
          .forEach(
              (name, value) -> {
                if (SECRET_NAME.matcher(name).matches()
                    && !REQUIRED_VARIABLE.matcher(value).matches()
                    && !OPTIONAL_VARIABLE.matcher(value).matches()) {
                  offenders.add(service + ": " + name + "=" + value);
                }
              });
    }
    assertThat(offenders)
        .as("secrets must be ${VAR:?...} or ${VAR:-} references, never literal values")
        .isEmpty();
  }

  @Test
  void envExampleDocumentsEveryRequiredVariableWithoutValues() {
    Set<String> required = new TreeSet<>();
    var matcher = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):\\?").matcher(composeText());
    while (matcher.find()) {
      required.add(matcher.group(1));
    }
    Map<String, String> example = new HashMap<>();
    DockerFiles.read(docker.resolve(".env.example"))
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .forEach(line -> example.put(line.split("=", 2)[0], line.split("=", 2)[1]));

    assertThat(required).isNotEmpty();
    assertThat(example).containsKeys(required.toArray(String[]::new));
    for (String name : required) {
      assertThat(example.get(name)).as(name).isIn("", "CHANGE_ME");
    }
    assertThat(DockerFiles.read(docker.resolve(".gitignore")).lines().map(String::strip))
        .as("docker/.env holds the real passwords and stays out of git")
        .contains(".env");
  }

  @Test
  void composeBindMountsExist() {
    for (String service : map(compose, "services").keySet()) {
      for (Object volume : list(compose, "services", service, "volumes")) {
        String source = String.valueOf(volume).split(":")[0];
        if (source.startsWith(".")) {
          assertThat(docker.resolve(source)).as("%s mounts %s", service, source).exists();
        }
      }
    }
  }

  @Test
  void postgresInitCreatesTheRolesAndSchemasWithoutPasswords() {
    String sql = DockerFiles.read(docker.resolve("postgres/init.sql"));

    assertThat(sql).containsIgnoringCase("CREATE DATABASE storefront");
    assertThat(sql).contains("\"order\"").containsIgnoringCase("REVOKE CREATE ON SCHEMA public");
    SCHEMAS.forEach(
        (service, schema) -> {
          String role = service.equals("order") ? "\"order\"" : service;
          assertThat(sql)
              .contains("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + role)
              .contains("ALTER ROLE " + role + " WITH LOGIN PASSWORD :'" + service + "_password'");
        });
    assertThat(sql).doesNotContainPattern("(?i)PASSWORD\\s+'");
    assertThat(DockerFiles.read(docker.resolve("postgres/initdb.sh")))
        .contains("-v order_password=\"$ORDER_DB_PASSWORD\"");
  }

  // ---------------------------------------------------------------- Prometheus and Grafana

  @Test
  void prometheusScrapesEveryService() {
    Map<String, Object> prometheus =
        DockerFiles.loadMap(docker.resolve("prometheus/prometheus.yml"));
    Map<String, Map<String, Object>> jobs = new HashMap<>();
    for (Object job : list(prometheus, "scrape_configs")) {
      jobs.put(string(job, "job_name"), map(job));
    }

    for (String service : SERVICES) {
      assertThat(jobs).containsKey(service);
      Map<String, Object> job = jobs.get(service);
      assertThat(Objects.requireNonNullElse(string(job, "metrics_path"), "/metrics"))
          .isEqualTo("/metrics");
      assertThat(list(job, "dns_sd_configs"))
          .as("%s is found through DNS so that scaled replicas are scraped", service)
          .anySatisfy(
              sd -> {
                assertThat(list(sd, "names")).contains(service);
                assertThat(string(sd, "port"))
                    .as("/metrics is on the management port")
                    .isEqualTo(MANAGEMENT_PORT);
              });
    }
  }

  @Test
  void grafanaIsProvisionedWithPrometheusAndTheDashboard() throws IOException {
    Map<String, Object> datasources =
        DockerFiles.loadMap(docker.resolve("grafana/provisioning/datasources/prometheus.yaml"));
    Object datasource = list(datasources, "datasources").get(0);
    assertThat(string(datasource, "type")).isEqualTo("prometheus");
    assertThat(string(datasource, "url")).isEqualTo("http://prometheus:9090");
    String uid = string(datasource, "uid");

    List<Path> dashboards;
    try (Stream<Path> files = Files.list(docker.resolve("grafana/dashboards"))) {
      dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
    }
    assertThat(dashboards).isNotEmpty();
    for (Path file : dashboards) {
      Map<String, Object> dashboard = DockerFiles.loadMap(file); // JSON is YAML
      List<?> panels = list(dashboard, "panels");
      assertThat(panels).hasSizeGreaterThanOrEqualTo(5);
      List<String> queries = new ArrayList<>();
      for (Object panel : panels) {
        assertThat(list(panel, "targets")).as("queries of %s", string(panel, "title")).isNotEmpty();
        for (Object target : list(panel, "targets")) {
          assertThat(string(target, "datasource", "uid")).isEqualTo(uid);
          queries.add(string(target, "expr"));
        }
      }
      assertThat(String.join("\n", queries))
          .as("request rate, p99 latency, errors, circuit breakers and heap")
          .contains("vertx_http_server_requests_total")
          .contains("histogram_quantile(0.99")
          .contains("code=~\"5..\"")
          .contains("circuit_breaker")
          .contains("jvm_memory_used_bytes");
    }
  }

  // ---------------------------------------------------------------- Kubernetes

  @Test
  void everyKubernetesDocumentIsAnObject() {
    assertThat(k8s).isNotEmpty();
    k8s.forEach(
        (file, documents) -> {
          assertThat(documents).as(file).isNotEmpty();
          for (Map<String, Object> document : documents) {
            assertThat(document).as(file).containsKeys("apiVersion", "kind");
            if (!"Kustomization".equals(document.get("kind"))) {
              assertThat(string(document, "metadata", "name")).as(file).isNotBlank();
            }
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void deploymentProbesAndConfiguresTheService(String service) {
    Map<String, Object> deployment = k8sObject("Deployment", service);
    Map<String, Object> pod = map(deployment, "spec", "template");
    Map<String, Object> container = map(pod, "spec", "containers", 0);

    assertThat(string(container, "image")).startsWith("storefront/" + service + ":");
    int httpPort = containerPort(container, "http");
    assertThat(httpPort).isEqualTo(8080);
    assertThat(containerPort(container, "hazelcast")).isEqualTo(5701);
    int managementPort = containerPort(container, "management");
    assertThat(managementPort).isEqualTo(Integer.parseInt(MANAGEMENT_PORT));
    assertThat(string(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
    assertThat(probePort(container, "readinessProbe")).isEqualTo(managementPort);
    assertThat(string(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
    assertThat(probePort(container, "livenessProbe")).isEqualTo(managementPort);
    if (container.containsKey("startupProbe")) {
      assertThat(probePort(container, "startupProbe")).isEqualTo(managementPort);
    }
    assertThat(list(k8sObject("Service", service), "spec", "ports"))
        .as("the %s Service routes to the service port, never to the management port", service)
        .allSatisfy(
            port -> {
              assertThat(string(port, "targetPort")).isNotIn("management", MANAGEMENT_PORT);
              assertThat(string(port, "port")).isNotEqualTo(MANAGEMENT_PORT);
            });
    assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
    assertThat(map(container, "resources", "limits")).containsKey("memory");
    assertThat(list(container, "lifecycle", "preStop", "exec", "command"))
        .map(String::valueOf)
        .contains("sleep");

    Map<String, Object> podSpec = map(pod, "spec");
    int grace = ((Number) podSpec.get("terminationGracePeriodSeconds")).intValue();
    assertThat(grace).isEqualTo(30);
    int drainSeconds = Integer.parseInt(commonConfig().get("SHUTDOWN_DRAIN_MS")) / 1000;
    assertThat(grace).as("grace period covers the drain").isGreaterThan(drainSeconds);
    assertThat(string(podSpec, "serviceAccountName")).isEqualTo(serviceAccountName());
    assertThat(map(pod, "metadata", "annotations"))
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", String.valueOf(managementPort))
        .containsEntry("prometheus.io/path", "/metrics");

    Map<String, Object> podLabels = map(pod, "metadata", "labels");
    assertThat(podLabels).containsAllEntriesOf(map(deployment, "spec", "selector", "matchLabels"));
    assertThat(podLabels)
        .as("the headless cluster Service selects every storefront pod")
        .containsAllEntriesOf(map(k8sObject("Service", CLUSTER_SERVICE), "spec", "selector"));
    assertThat(podLabels)
        .containsAllEntriesOf(map(k8sObject("Service", service), "spec", "selector"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "catalog", "cart", "order", "payment", "notification"})
  void deploymentEnvironmentCoversItsContract(String service) {
    Map<String, Object> container =
        map(k8sObject("Deployment", service), "spec", "template", "spec", "containers", 0);
    Map<String, Object> env = new HashMap<>();
    for (Object variable : list(container, "env")) {
      env.put(string(variable, "name"), variable);
    }
    assertThat(list(container, "envFrom"))
        .as("the common ConfigMap")
        .anySatisfy(
            source ->
                assertThat(string(source, "configMapRef", "name")).isEqualTo("storefront-common"));
    Map<String, String> common = commonConfig();
    Set<String> available = new TreeSet<>(common.keySet());
    available.addAll(env.keySet());

    assertThat(common)
        .containsEntry("STOREFRONT_CLUSTER_JOIN", "kubernetes")
        .containsEntry("STOREFRONT_CLUSTER_NAME", "storefront")
        .containsEntry("HTTP_PORT", "8080")
        .containsEntry("MANAGEMENT_PORT", MANAGEMENT_PORT)
        .containsEntry("MANAGEMENT_HOST", "0.0.0.0");
    assertThat(common.get("STOREFRONT_CLUSTER_K8S_SERVICE_DNS")).startsWith(CLUSTER_SERVICE + ".");
    for (String own : List.of("STOREFRONT_CLUSTER_HOST", "PUBLIC_HOST")) {
      assertThat(string(env.get(own), "valueFrom", "fieldRef", "fieldPath"))
          .as(own)
          .isEqualTo("status.podIP");
    }
    if (SCHEMAS.containsKey(service)) {
      assertThat(available).containsAll(PG_VARIABLES);
      assertThat(string(env.get("PG_USER"), "value")).isEqualTo(service);
      assertThat(string(env.get("PG_SCHEMA"), "value")).isEqualTo(SCHEMAS.get(service));
      assertThat(map(env.get("PG_PASSWORD"), "valueFrom", "secretKeyRef"))
          .as("PG_PASSWORD comes from a Secret")
          .containsKeys("name", "key");
      assertThat(map(env.get("PG_PASSWORD"))).doesNotContainKey("value");
    }
    if (KAFKA_USERS.contains(service)) {
      assertThat(available).contains("KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  @Test
  void headlessClusterServiceExposesHazelcast() {
    Map<String, Object> service = k8sObject("Service", CLUSTER_SERVICE);

    assertThat(string(service, "spec", "clusterIP")).isEqualTo("None");
    assertThat(list(service, "spec", "ports"))
        .anySatisfy(port -> assertThat(string(port, "port")).isEqualTo("5701"));
    assertThat(at(service, "spec", "publishNotReadyAddresses"))
        .as("members must find each other before they are ready")
        .contains(true);
  }

  @Test
  void gatewayIsExposedOutsideTheCluster() {
    boolean loadBalancer =
        "LoadBalancer".equals(string(k8sObject("Service", "gateway"), "spec", "type"));
    boolean ingress =
        k8s.values().stream().flatMap(List::stream).anyMatch(d -> "Ingress".equals(d.get("kind")));

    assertThat(loadBalancer || ingress).as("a LoadBalancer Service or an Ingress").isTrue();
  }

  @Test
  void rbacLetsHazelcastDiscoverMembers() {
    String account = serviceAccountName();
    assertThat(k8sObject("ServiceAccount", account)).isNotEmpty();

    Map<String, Object> binding =
        k8sObjects("RoleBinding").stream()
            .filter(
                b ->
                    list(b, "subjects").stream()
                        .anyMatch(
                            s ->
                                "ServiceAccount".equals(string(s, "kind"))
                                    && account.equals(string(s, "name"))))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
    assertThat(string(binding, "roleRef", "kind")).isEqualTo("Role");
    Map<String, Object> role = k8sObject("Role", string(binding, "roleRef", "name"));

    for (String resource : List.of("endpoints", "pods", "services")) {
      assertThat(list(role, "rules"))
          .as("get and list on %s", resource)
          .anySatisfy(
              rule -> {
                assertThat(list(rule, "apiGroups")).contains("");
                assertThat(list(rule, "resources")).contains(resource);
                assertThat(list(rule, "verbs")).contains("get", "list");
              });
    }
  }

  @Test
  void kustomizationListsEveryManifest() throws IOException {
    Map<String, Object> kustomization = k8s.get("kustomization.yaml").get(0);
    Set<String> listed =
        list(kustomization, "resources").stream()
            .map(String::valueOf)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected =
        k8sFiles().stream()
            .map(f -> f.getFileName().toString())
            .filter(name -> !name.equals("kustomization.yaml") && !name.endsWith(".example.yaml"))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(listed).isEqualTo(expected);
  }

  @Test
  void loadTestJobRunsTheGeneratorOnceAgainstTheGatewayService() {
    assertThat(k8s).containsKey(LOAD_TEST_JOB);
    assertThat(list(k8s.get("kustomization.yaml").get(0), "resources"))
        .as("an example: kubectl apply -k must not start load on every deploy")
        .doesNotContain(LOAD_TEST_JOB);
    List<Map<String, Object>> documents = k8s.get(LOAD_TEST_JOB);
    assertThat(documents).hasSize(1);
    Map<String, Object> job = documents.get(0);
    assertThat(job).containsEntry("apiVersion", "batch/v1").containsEntry("kind", "Job");

    assertThat(at(job, "spec", "backoffLimit"))
        .as("a broken SLO fails the Job and is not retried")
        .contains(0);
    assertThat(at(job, "spec", "ttlSecondsAfterFinished")).isPresent();
    Map<String, Object> podSpec = map(job, "spec", "template", "spec");
    assertThat(string(podSpec, "restartPolicy")).isEqualTo("Never");
    assertThat(at(podSpec, "securityContext", "runAsNonRoot")).contains(true);
    assertThat(string(podSpec, "securityContext", "runAsUser"))
        .as("the uid of Dockerfile.load-tests")
        .isEqualTo("10001");

    List<Object> containers = list(podSpec, "containers");
    assertThat(containers).hasSize(1);
    Map<String, Object> container = map(containers.get(0));
    assertThat(string(container, "image")).startsWith("storefront/" + LOAD_TESTS + ":");
    assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
    assertThat(map(container, "resources", "limits")).containsKey("memory");
    assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).contains(false);

    List<String> args = list(container, "args").stream().map(String::valueOf).toList();
    assertThat(args).as("a profile first").isNotEmpty();
    assertThat(args.get(0)).isIn("browse", "shop", "listen", "mix");
    URI target = URI.create(optionValue(args, "--target"));
    Map<String, Object> gateway =
        k8s.get("gateway.yaml").stream()
            .filter(d -> "Service".equals(d.get("kind")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Service in gateway.yaml"));
    String serviceName = string(gateway, "metadata", "name");
    int servicePort =
        list(gateway, "spec", "ports").stream()
            .filter(port -> "http".equals(string(port, "name")))
            .map(port -> Integer.parseInt(string(port, "port")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no http port on the gateway Service"));
    assertThat(target.getScheme()).isEqualTo("http");
    assertThat(target.getHost())
        .as("the gateway Service by name, in the Job's namespace or fully qualified")
        .satisfiesAnyOf(
            host -> assertThat(host).isEqualTo(serviceName),
            host -> assertThat(host).startsWith(serviceName + "."));
    assertThat(target.getPort() < 0 ? 80 : target.getPort())
        .as("the gateway Service's port")
        .isEqualTo(servicePort);

    String results = optionValue(args, "--results");
    Set<String> mounts =
        list(container, "volumeMounts").stream()
            .map(mount -> string(mount, "mountPath"))
            .collect(Collectors.toSet());
    assertThat(mounts).as("the reports go to a volume").contains(results);
    if (Boolean.TRUE.equals(
        at(container, "securityContext", "readOnlyRootFilesystem").orElse(null))) {
      assertThat(mounts).as("the JVMs' temporary files, under a read-only root").contains("/tmp");
    }
  }

  @Test
  void loadTestPodIsSelectedByNoService() {
    Map<String, Object> podLabels =
        map(k8s.get(LOAD_TEST_JOB).get(0), "spec", "template", "metadata", "labels");

    for (Map<String, Object> service : k8sObjects("Service")) {
      Map<String, Object> selector = map(service, "spec", "selector");
      boolean selected =
          !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
      assertThat(selected)
          .as(
              "the load generator's pod is no endpoint of Service %s (in storefront-cluster,"
                  + " Hazelcast would try it as a member)",
              string(service, "metadata", "name"))
          .isFalse();
    }
  }

  @Test
  void noSecretValueIsCommittedInTheManifests() {
    k8s.forEach(
        (file, documents) -> {
          for (Map<String, Object> document : documents) {
            if (!"Secret".equals(document.get("kind"))) {
              continue;
            }
            assertThat(file).as("a Secret only as a template").endsWith(".example.yaml");
            assertThat(map(document, "data")).isEmpty();
            assertThat(map(document, "stringData").values())
                .as("placeholders only")
                .allSatisfy(value -> assertThat(value).isEqualTo("CHANGE_ME"));
          }
        });
    assertThat(k8s.keySet()).anySatisfy(file -> assertThat(file).endsWith(".example.yaml"));
  }

  @Test
  void deploymentsReferenceTheSecretTemplateKeys() {
    Map<String, Set<String>> templates = new HashMap<>();
    k8s.values().stream()
        .flatMap(List::stream)
        .filter(d -> "Secret".equals(d.get("kind")))
        .forEach(d -> templates.put(string(d, "metadata", "name"), map(d, "stringData").keySet()));
    assertThat(templates).as("Secret templates").containsKey("storefront-db");

    for (String service : SCHEMAS.keySet()) {
      Map<String, Object> container =
          map(k8sObject("Deployment", service), "spec", "template", "spec", "containers", 0);
      for (Object variable : list(container, "env")) {
        Map<String, Object> ref = map(variable, "valueFrom", "secretKeyRef");
        if (!ref.isEmpty()) {
          assertThat(templates).containsKey(String.valueOf(ref.get("name")));
          assertThat(templates.get(String.valueOf(ref.get("name"))))
              .contains(String.valueOf(ref.get("key")));
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static List<String> arguments(List<Instruction> instructions, String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  /** The value after {@code option} in a command line. */
  private static String optionValue(List<String> args, String option) {
    int index = args.indexOf(option);
    assertThat(index).as("%s in %s", option, args).isNotNegative().isLessThan(args.size() - 1);
    return args.get(index + 1);
  }

  private static String composeText() {
    return DockerFiles.read(docker.resolve("compose.yaml"));
  }

  /** A compose service's environment, in either the mapping or the {@code KEY=value} list form. */
  private static Map<String, String> composeEnvironment(String service) {
    Map<String, String> env = new HashMap<>();
    Object environment = at(compose, "services", service, "environment").orElse(Map.of());
    if (environment instanceof Map<?, ?> mapping) {
      mapping.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (environment instanceof List<?> entries) {
      for (Object entry : entries) {
        String[] parts = String.valueOf(entry).split("=", 2);
        env.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return env;
  }

  /** The condition under which {@code service} waits for {@code dependency}, or null. */
  private static String dependencyCondition(String service, String dependency) {
    Object dependsOn = at(compose, "services", service, "depends_on").orElse(List.of());
    if (dependsOn instanceof List<?> names) {
      return names.contains(dependency) ? "service_started" : null;
    }
    return string(dependsOn, dependency, "condition");
  }

  private static List<Path> k8sFiles() throws IOException {
    try (Stream<Path> files = Files.list(docker.resolve("k8s"))) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static List<Map<String, Object>> k8sObjects(String kind) {
    return k8s.values().stream()
        .flatMap(List::stream)
        .filter(d -> kind.equals(d.get("kind")))
        .toList();
  }

  private static Map<String, Object> k8sObject(String kind, String name) {
    return k8sObjects(kind).stream()
        .filter(d -> name.equals(string(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in docker/k8s"));
  }

  private static Map<String, String> commonConfig() {
    Map<String, String> data = new HashMap<>();
    map(k8sObject("ConfigMap", "storefront-common"), "data")
        .forEach((k, v) -> data.put(k, String.valueOf(v)));
    return data;
  }

  private static String serviceAccountName() {
    return string(
        k8sObject("Deployment", "gateway"), "spec", "template", "spec", "serviceAccountName");
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return list(container, "ports").stream()
        .filter(port -> name.equals(string(port, "name")))
        .map(port -> Integer.parseInt(string(port, "containerPort")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  /** A probe's port, named or numbered, as the container port number it reaches. */
  private static int probePort(Map<String, Object> container, String probe) {
    String port = string(container, probe, "httpGet", "port");
    assertThat(port).as(probe + " port").isNotNull();
    return port.chars().allMatch(Character::isDigit)
        ? Integer.parseInt(port)
        : containerPort(container, port);
  }
}
