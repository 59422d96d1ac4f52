package com.reservebtc.deploy.check;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What every object must meet beyond its schema: images pinned (a tag or digest, never {@code
 * latest}), resources and probes on every container, non-root and unprivileged pods, and no secret
 * values: no Secret objects, no literal values for settings named like secrets, nothing that looks
 * like a key in a ConfigMap or an environment variable. The operator-run pods (Kafka, PostgreSQL)
 * are held to the same rules through their custom resources.
 */
public final class Policies {

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|JAAS|(^|_)KEY$|_KEY_)");

  /** A PEM private key, or 32 bytes of hex (an EVM private key) not part of an image digest. */
  private static final Pattern SECRET_VALUE =
      Pattern.compile(
          "-----BEGIN [A-Z ]*PRIVATE KEY-----|(?<![0-9A-Fa-f:])(0x)?[0-9A-Fa-f]{64}(?![0-9A-Fa-f])");

  private Policies() {}

  public static void check(List<Manifest> manifests, Report report) {
    for (Manifest m : manifests) {
      if (m.podSpec() != null) {
        workload(m, report);
      }
      switch (m.kind()) {
        case "Secret" ->
            report.add(
                m,
                "Secrets are never kept in the repository: create it in the cluster"
                    + " (deploy/README.md, \"Secrets\")");
        case "ConfigMap" -> configMap(m, report);
        case "Kafka" -> kafka(m, report);
        case "KafkaNodePool" ->
            resources(m, "spec.resources", Yaml.map(m.at("spec", "resources")), report);
        case "Cluster" -> postgres(m, report);
        default -> {}
      }
    }
  }

  private static void workload(Manifest m, Report report) {
    Map<String, Object> pod = m.podSpec();
    boolean podNonRoot =
        Boolean.TRUE.equals(Yaml.map(pod.get("securityContext")).get("runAsNonRoot"));
    if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
      report.add(
          m, "automountServiceAccountToken must be false (the services never call the API server)");
    }
    List<Object> init = Yaml.list(pod.get("initContainers"));
    for (Map<String, Object> c : m.containers()) {
      String name = "container " + c.get("name");
      boolean isInit = init.contains(c);
      image(m, name, String.valueOf(c.get("image")), report);
      resources(m, name, Yaml.map(c.get("resources")), report);
      if (!isInit) {
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
          if (c.get(probe) == null) {
            report.add(m, name + " has no " + probe);
          }
        }
      }
      Map<String, Object> security = Yaml.map(c.get("securityContext"));
      if (!podNonRoot && !Boolean.TRUE.equals(security.get("runAsNonRoot"))) {
        report.add(m, name + " may run as root: set runAsNonRoot: true (pod or container)");
      }
      if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
        report.add(m, name + " must set allowPrivilegeEscalation: false");
      }
      if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
        report.add(m, name + " must set readOnlyRootFilesystem: true");
      }
      if (!Yaml.list(Yaml.map(security.get("capabilities")).get("drop")).contains("ALL")) {
        report.add(m, name + " must drop all capabilities");
      }
      for (Object entry : Yaml.list(c.get("env"))) {
        Map<String, Object> env = Yaml.map(entry);
        Object value = env.get("value");
        String var = String.valueOf(env.get("name"));
        if (value != null && SECRET_NAME.matcher(var).find()) {
          report.add(
              m, name + " sets " + var + " to a literal value: take it from a Secret (valueFrom)");
        } else if (value != null && SECRET_VALUE.matcher(value.toString()).find()) {
          report.add(m, name + " sets " + var + " to what looks like a key: take it from a Secret");
        }
      }
    }
  }

  private static void configMap(Manifest m, Report report) {
    Yaml.map(m.body().get("data"))
        .forEach(
            (key, value) -> {
              if (SECRET_NAME.matcher(key).find()) {
                report.add(m, "key " + key + " is named like a secret: keep it in a Secret");
              } else if (value != null && SECRET_VALUE.matcher(value.toString()).find()) {
                report.add(m, "key " + key + " holds what looks like a key: keep it in a Secret");
              }
            });
  }

  private static void kafka(Manifest m, Report report) {
    if (m.at("spec", "kafka", "version") == null) {
      report.add(m, "spec.kafka.version must pin the Kafka version");
    }
    for (String[] path :
        List.of(
            new String[] {"spec", "kafka"},
            new String[] {"spec", "entityOperator", "topicOperator"},
            new String[] {"spec", "entityOperator", "userOperator"},
            new String[] {"spec", "kafkaExporter"})) {
      Object part = m.at(path);
      if (part instanceof Map<?, ?> map && map.get("image") != null) {
        image(m, String.join(".", path), String.valueOf(map.get("image")), report);
      }
      if (part instanceof Map<?, ?> && !path[path.length - 1].equals("kafka")) {
        resources(m, String.join(".", path), Yaml.map(Yaml.map(part).get("resources")), report);
      }
    }
  }

  private static void postgres(Manifest m, Report report) {
    Object image = m.at("spec", "imageName");
    if (image == null) {
      report.add(m, "spec.imageName must pin the PostgreSQL image");
    } else {
      image(m, "spec.imageName", image.toString(), report);
    }
    resources(m, "spec.resources", Yaml.map(m.at("spec", "resources")), report);
    if (Boolean.TRUE.equals(m.at("spec", "enableSuperuserAccess"))) {
      report.add(m, "spec.enableSuperuserAccess must stay off");
    }
  }

  private static void image(Manifest m, String where, String image, Report report) {
    int slash = image.lastIndexOf('/');
    String last = image.substring(slash + 1);
    boolean digest = image.contains("@sha256:");
    boolean tag = last.contains(":");
    if (!digest && !tag) {
      report.add(m, where + " image " + image + " has neither a tag nor a digest");
    } else if (!digest && last.endsWith(":latest")) {
      report.add(m, where + " image " + image + " uses the tag latest: pin a version or digest");
    }
  }

  private static void resources(
      Manifest m, String where, Map<String, Object> resources, Report report) {
    Map<String, Object> requests = Yaml.map(resources.get("requests"));
    Map<String, Object> limits = Yaml.map(resources.get("limits"));
    if (requests.get("cpu") == null || requests.get("memory") == null) {
      report.add(m, where + " must request cpu and memory");
    }
    if (limits.get("memory") == null) {
      report.add(m, where + " must limit memory");
    }
  }
}
