package com.reservebtc.deploy.check;

import com.reservebtc.schemas.Service;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * That each service is wired to what the manifests create and to what it reads itself ({@code
 * application.yml}): its Deployment and port, its database role, schema and CA, its Kafka user,
 * listener and CA, its consumer group, the gateway's oracle URL, CORS and trusted proxies, and the
 * chain settings. Settings are followed through envFrom ConfigMaps to their values.
 */
public final class ServiceWiring {

  private final List<Manifest> manifests;
  private final Report report;

  private ServiceWiring(List<Manifest> manifests, Report report) {
    this.manifests = manifests;
    this.report = report;
  }

  public static void check(List<Manifest> manifests, Report report) {
    ServiceWiring wiring = new ServiceWiring(manifests, report);
    for (Service service : Service.values()) {
      wiring.service(service);
    }
  }

  private void service(Service service) {
    Optional<Manifest> found = find("Deployment", service.id());
    if (found.isEmpty()) {
      report.add("no Deployment for service " + service.id());
      return;
    }
    Manifest deployment = found.get();
    Map<String, Object> yml = Repository.applicationYml(service);
    List<Map<String, Object>> containers = deployment.containers();
    if (containers.size() != 1) {
      report.add(deployment, "expected one container, found " + containers.size());
      return;
    }
    Map<String, Object> container = containers.get(0);
    String image = String.valueOf(container.get("image"));
    if (!repositoryName(image).equals(service.id())) {
      report.add(deployment, "runs image " + image + ", not the " + service.id() + " image");
    }
    Object port = Repository.setting(yml, "server.port");
    if (!containerPort(container, "http").equals(port)) {
      report.add(
          deployment,
          "port http is "
              + containerPort(container, "http")
              + " but the service listens on "
              + port);
    }
    Object group = Repository.setting(yml, "spring.kafka.consumer.group-id");
    if (group != null && !service.id().equals(group)) {
      report.add(
          deployment,
          "consumes as group " + group + ", but its ACLs are for group " + service.id());
    }
    Map<String, Env> env = environment(deployment, container);
    database(service, deployment, container, yml, env);
    kafka(service, deployment, env);
    chain(deployment, env);
    if (service == Service.GATEWAY) {
      gateway(deployment, env);
    }
  }

  private void database(
      Service service,
      Manifest deployment,
      Map<String, Object> container,
      Map<String, Object> yml,
      Map<String, Env> env) {
    Manifest cluster = find("Cluster", null).orElse(null);
    Manifest database = find("Database", null).orElse(null);
    if (cluster == null || database == null) {
      report.add("no CloudNativePG Cluster and Database");
      return;
    }
    String schema = String.valueOf(Repository.setting(yml, "spring.flyway.default-schema"));
    String expectedUrl =
        "jdbc:postgresql://"
            + cluster.name()
            + "-rw:5432/"
            + database.at("spec", "name")
            + "?currentSchema="
            + schema
            + "&sslmode=verify-full&sslrootcert="
            + mountPathOf(deployment, container, cluster.name() + "-ca")
            + "/ca.crt";
    expectValue(deployment, env, "SPRING_DATASOURCE_URL", expectedUrl);
    expectSecret(deployment, env, "SPRING_DATASOURCE_USERNAME", service.id() + "-db", "username");
    expectSecret(deployment, env, "SPRING_DATASOURCE_PASSWORD", service.id() + "-db", "password");
    boolean role =
        Yaml.list(cluster.at("spec", "managed", "roles")).stream()
            .map(Yaml::map)
            .anyMatch(
                r ->
                    service.id().equals(r.get("name"))
                        && Boolean.TRUE.equals(r.get("login"))
                        && (service.id() + "-db")
                            .equals(Yaml.map(r.get("passwordSecret")).get("name")));
    if (!role) {
      report.add(
          cluster,
          "no login role " + service.id() + " with password Secret " + service.id() + "-db");
    }
    boolean owned =
        Yaml.list(database.at("spec", "schemas")).stream()
            .map(Yaml::map)
            .anyMatch(s -> schema.equals(s.get("name")) && service.id().equals(s.get("owner")));
    if (!owned) {
      report.add(database, "no schema " + schema + " owned by " + service.id());
    }
  }

  private void kafka(Service service, Manifest deployment, Map<String, Env> env) {
    Manifest kafka = find("Kafka", null).orElse(null);
    if (kafka == null) {
      report.add("no Strimzi Kafka");
      return;
    }
    Map<String, Object> listener =
        Yaml.list(kafka.at("spec", "kafka", "listeners")).stream()
            .map(Yaml::map)
            .filter(l -> Boolean.TRUE.equals(l.get("tls")))
            .filter(l -> "scram-sha-512".equals(Yaml.map(l.get("authentication")).get("type")))
            .findFirst()
            .orElse(null);
    if (listener == null) {
      report.add(kafka, "has no TLS listener with SCRAM-SHA-512 authentication");
      return;
    }
    expectValue(
        deployment,
        env,
        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
        kafka.name() + "-kafka-bootstrap:" + listener.get("port"));
    expectValue(deployment, env, "SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    expectValue(deployment, env, "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512");
    expectSecret(
        deployment,
        env,
        "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
        service.id(),
        "sasl.jaas.config");
    expectValue(deployment, env, "SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PEM");
    expectSecret(
        deployment,
        env,
        "SPRING_KAFKA_SSL_TRUST_STORE_CERTIFICATES",
        kafka.name() + "-cluster-ca-cert",
        "ca.crt");
  }

  private void chain(Manifest deployment, Map<String, Env> env) {
    List<String> urls = new java.util.ArrayList<>();
    urls.add("RBTC_CHAIN_RPC_URL");
    List<String> sourceUrls =
        env.keySet().stream()
            .filter(k -> k.matches("RBTC_BITCOIN_SOURCES_[0-9]+_URL"))
            .sorted()
            .toList();
    if (sourceUrls.isEmpty()) {
      urls.add("RBTC_BITCOIN_ESPLORA_URLS");
    }
    for (String source : sourceUrls) {
      urls.add(source);
      String alias = source.replace("_URL", "_ALIAS");
      Env e = env.get(alias);
      if (e == null || !e.value().matches("[a-z0-9][a-z0-9-]{0,31}")) {
        report.add(
            deployment, source + " needs " + alias + " (lower-case letters, digits, dashes)");
      }
    }
    Env network = env.get("RBTC_BITCOIN_NETWORK");
    if (network != null && !"regtest".equals(network.value()) && sourceUrls.size() == 1) {
      report.add(deployment, "outside regtest at least 2 Bitcoin sources must be configured");
    }
    for (String name : urls) {
      Env e = env.get(name);
      String value = e == null ? "" : e.value();
      for (String url : value.split(",")) {
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
          report.add(deployment, name + " must be a list of http(s) URLs, is \"" + value + "\"");
          break;
        }
      }
    }
    Env chainId = env.get("RBTC_CHAIN_ID");
    if (chainId == null || !chainId.value().matches("[0-9]+")) {
      report.add(deployment, "RBTC_CHAIN_ID must be set");
    }
  }

  private void gateway(Manifest deployment, Map<String, Env> env) {
    Manifest oracle = find("Service", Service.ORACLE.id()).orElse(null);
    if (oracle == null) {
      report.add("no Service " + Service.ORACLE.id() + " for the gateway to forward to");
      return;
    }
    Object port =
        Yaml.list(oracle.at("spec", "ports")).stream()
            .map(Yaml::map)
            .filter(p -> "http".equals(p.get("name")))
            .map(p -> p.get("port"))
            .findFirst()
            .orElse(null);
    expectValue(deployment, env, "RBTC_GATEWAY_ORACLE_URL", "http://" + oracle.name() + ":" + port);
    Env cors = env.get("RBTC_GATEWAY_CORS_ALLOWED_ORIGINS");
    if (cors == null) {
      report.add(
          deployment,
          "RBTC_GATEWAY_CORS_ALLOWED_ORIGINS is not set (the service's default is \"*\")");
    } else if (cors.value().contains("*")) {
      report.add(deployment, "RBTC_GATEWAY_CORS_ALLOWED_ORIGINS must name origins, not \"*\"");
    } else {
      for (String origin : cors.value().split(",")) {
        if (!origin.isBlank() && URI.create(origin.strip()).getHost() == null) {
          report.add(
              deployment, "CORS origin \"" + origin + "\" is not an origin (scheme://host[:port])");
        }
      }
    }
    Env proxies = env.get("RBTC_GATEWAY_RATE_LIMIT_TRUSTED_PROXIES");
    if (proxies == null || proxies.value().isBlank()) {
      report.add(
          deployment,
          "RBTC_GATEWAY_RATE_LIMIT_TRUSTED_PROXIES must name the load balancer's addresses");
    }
  }

  /** An environment variable: a literal value, or a reference to a Secret key. */
  private record Env(String value, String secret, String key) {}

  private Map<String, Env> environment(Manifest deployment, Map<String, Object> container) {
    Map<String, Env> env = new HashMap<>();
    for (Object from : Yaml.list(container.get("envFrom"))) {
      Object name = Yaml.map(Yaml.map(from).get("configMapRef")).get("name");
      if (name != null) {
        find("ConfigMap", name.toString())
            .ifPresent(
                cm ->
                    Yaml.map(cm.body().get("data"))
                        .forEach((k, v) -> env.put(k, new Env(String.valueOf(v), null, null))));
      }
    }
    for (Object entry : Yaml.list(container.get("env"))) {
      Map<String, Object> e = Yaml.map(entry);
      Map<String, Object> secret = Yaml.map(Yaml.map(e.get("valueFrom")).get("secretKeyRef"));
      String name = String.valueOf(e.get("name"));
      if (!secret.isEmpty()) {
        env.put(
            name,
            new Env(null, String.valueOf(secret.get("name")), String.valueOf(secret.get("key"))));
      } else if (e.get("value") != null) {
        env.put(name, new Env(String.valueOf(e.get("value")), null, null));
      }
    }
    return env;
  }

  private void expectValue(
      Manifest deployment, Map<String, Env> env, String name, String expected) {
    Env e = env.get(name);
    if (e == null || !expected.equals(e.value())) {
      report.add(
          deployment,
          name
              + " is "
              + (e == null ? "not set" : "\"" + e.value() + "\"")
              + ", expected \""
              + expected
              + "\"");
    }
  }

  private void expectSecret(
      Manifest deployment, Map<String, Env> env, String name, String secret, String key) {
    Env e = env.get(name);
    if (e == null || !secret.equals(e.secret()) || !key.equals(e.key())) {
      report.add(deployment, name + " must come from key " + key + " of Secret " + secret);
    }
  }

  /** Where the container mounts the given Secret, or "(not mounted)". */
  private static String mountPathOf(
      Manifest deployment, Map<String, Object> container, String secret) {
    for (Object volume : Yaml.list(deployment.podSpec().get("volumes"))) {
      Map<String, Object> v = Yaml.map(volume);
      if (secret.equals(Yaml.map(v.get("secret")).get("secretName"))) {
        for (Object mount : Yaml.list(container.get("volumeMounts"))) {
          if (v.get("name").equals(Yaml.map(mount).get("name"))) {
            return String.valueOf(Yaml.map(mount).get("mountPath"));
          }
        }
      }
    }
    return "(Secret " + secret + " not mounted)";
  }

  /** The last path segment of an image reference, without tag or digest. */
  private static String repositoryName(String image) {
    String withoutDigest = image.split("@", 2)[0];
    String last = withoutDigest.substring(withoutDigest.lastIndexOf('/') + 1);
    return last.split(":", 2)[0];
  }

  private static Object containerPort(Map<String, Object> container, String name) {
    return Yaml.list(container.get("ports")).stream()
        .map(Yaml::map)
        .filter(p -> name.equals(p.get("name")))
        .map(p -> p.get("containerPort"))
        .findFirst()
        .orElse("(none)");
  }

  private Optional<Manifest> find(String kind, String name) {
    return manifests.stream()
        .filter(m -> m.kind().equals(kind))
        .filter(m -> name == null || m.name().equals(name))
        .findFirst();
  }
}
