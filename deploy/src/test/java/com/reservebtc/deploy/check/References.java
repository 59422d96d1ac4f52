package com.reservebtc.deploy.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * That what objects refer to exists: ConfigMaps, Secrets (made by an operator, or listed for the
 * operator to create), the pods a Service, NetworkPolicy, PodDisruptionBudget or ServiceMonitor
 * selects, the ports they and the probes name, and an autoscaler's target.
 */
public final class References {

  private References() {}

  /**
   * @param toCreate the Secrets the runbook tells an operator to create
   */
  public static void check(List<Manifest> manifests, Set<String> toCreate, Report report) {
    Set<String> configMaps = names(manifests, "ConfigMap");
    Set<String> secrets = operatorSecrets(manifests);
    secrets.addAll(toCreate);
    List<Manifest> workloads = manifests.stream().filter(m -> m.podSpec() != null).toList();

    for (Manifest m : manifests) {
      for (String name : configMapRefs(m)) {
        if (!configMaps.contains(name)) {
          report.add(m, "refers to ConfigMap " + name + ", which no manifest defines");
        }
      }
      for (String name : secretRefs(m)) {
        if (!secrets.contains(name)) {
          report.add(
              m,
              "refers to Secret "
                  + name
                  + ", which no operator creates and deploy/README.md does not list");
        }
      }
      switch (m.kind()) {
        case "Service" -> service(m, workloads, report);
        case "PodDisruptionBudget", "NetworkPolicy" -> selects(m, workloads, report);
        case "HorizontalPodAutoscaler" -> {
          Object target = m.at("spec", "scaleTargetRef", "name");
          Object kind = m.at("spec", "scaleTargetRef", "kind");
          if (workloads.stream().noneMatch(w -> w.kind().equals(kind) && w.name().equals(target))) {
            report.add(m, "scales " + kind + " " + target + ", which no manifest defines");
          }
        }
        case "ServiceMonitor" -> serviceMonitor(m, manifests, report);
        default -> {}
      }
      if (m.podSpec() != null) {
        probes(m, report);
      }
    }
  }

  /** Secrets Strimzi and CloudNativePG create for the resources in {@code manifests}. */
  private static Set<String> operatorSecrets(List<Manifest> manifests) {
    Set<String> secrets = new HashSet<>();
    for (Manifest m : manifests) {
      switch (m.kind()) {
        case "KafkaUser" -> secrets.add(m.name());
        case "Kafka" -> {
          secrets.add(m.name() + "-cluster-ca-cert");
          secrets.add(m.name() + "-clients-ca-cert");
        }
        case "Cluster" -> {
          secrets.add(m.name() + "-ca");
          secrets.add(m.name() + "-app");
        }
        default -> {}
      }
    }
    return secrets;
  }

  private static Set<String> names(List<Manifest> manifests, String kind) {
    Set<String> names = new HashSet<>();
    manifests.stream().filter(m -> m.kind().equals(kind)).forEach(m -> names.add(m.name()));
    return names;
  }

  private static List<String> configMapRefs(Manifest m) {
    return workloadRefs(m, "configMapRef", "configMapKeyRef", "configMap", "name");
  }

  /** Secrets a workload or a custom resource needs (optional references excluded). */
  private static List<String> secretRefs(Manifest m) {
    List<String> refs = workloadRefs(m, "secretRef", "secretKeyRef", "secret", "secretName");
    if (m.kind().equals("Cluster")) {
      for (Object role : Yaml.list(m.at("spec", "managed", "roles"))) {
        Object name = Yaml.map(Yaml.map(role).get("passwordSecret")).get("name");
        if (name != null) {
          refs.add(name.toString());
        }
      }
      Map<String, Object> s3 =
          Yaml.map(m.at("spec", "backup", "barmanObjectStore", "s3Credentials"));
      for (Object credential : s3.values()) {
        Object name = Yaml.map(credential).get("name");
        if (name != null) {
          refs.add(name.toString());
        }
      }
    }
    return refs;
  }

  /**
   * Names a workload's containers and volumes refer to with the given fields (envFrom, env
   * valueFrom, volume source), leaving out optional references.
   */
  private static List<String> workloadRefs(
      Manifest m, String envFromField, String keyRefField, String volumeField, String volumeName) {
    List<String> refs = new ArrayList<>();
    for (Map<String, Object> c : m.containers()) {
      for (Object from : Yaml.list(c.get("envFrom"))) {
        addRef(Yaml.map(Yaml.map(from).get(envFromField)), "name", refs);
      }
      for (Object env : Yaml.list(c.get("env"))) {
        addRef(Yaml.map(Yaml.map(Yaml.map(env).get("valueFrom")).get(keyRefField)), "name", refs);
      }
    }
    Map<String, Object> pod = m.podSpec();
    if (pod != null) {
      for (Object volume : Yaml.list(pod.get("volumes"))) {
        addRef(Yaml.map(Yaml.map(volume).get(volumeField)), volumeName, refs);
      }
    }
    return refs;
  }

  private static void addRef(Map<String, Object> ref, String nameField, List<String> refs) {
    if (ref.get(nameField) != null && !optional(ref)) {
      refs.add(ref.get(nameField).toString());
    }
  }

  private static boolean optional(Object ref) {
    return Boolean.TRUE.equals(Yaml.map(ref).get("optional"));
  }

  private static void service(Manifest m, List<Manifest> workloads, Report report) {
    Map<String, Object> selector = Yaml.map(m.at("spec", "selector"));
    List<Manifest> selected =
        workloads.stream().filter(w -> matches(selector, w.podLabels())).toList();
    if (selected.isEmpty()) {
      report.add(m, "selects no pods (selector " + selector + ")");
      return;
    }
    for (Object port : Yaml.list(m.at("spec", "ports"))) {
      Object target = Yaml.map(port).get("targetPort");
      if (target instanceof String name && selected.stream().noneMatch(w -> hasPort(w, name))) {
        report.add(m, "targets port " + name + ", which the selected pods do not declare");
      }
    }
  }

  private static void selects(Manifest m, List<Manifest> workloads, Report report) {
    Map<String, Object> selector =
        Yaml.map(m.at("spec", m.kind().equals("NetworkPolicy") ? "podSelector" : "selector"));
    Map<String, Object> labels = Yaml.map(selector.get("matchLabels"));
    if (!labels.containsKey("app.kubernetes.io/name")) {
      return; // pods of an operator (Kafka, PostgreSQL), not defined here
    }
    List<Manifest> selected =
        workloads.stream().filter(w -> matches(labels, w.podLabels())).toList();
    if (selected.isEmpty()) {
      report.add(m, "selects no pods (matchLabels " + labels + ")");
      return;
    }
    if (m.kind().equals("NetworkPolicy")) {
      for (Object rule : Yaml.list(m.at("spec", "ingress"))) {
        for (Object port : Yaml.list(Yaml.map(rule).get("ports"))) {
          Object p = Yaml.map(port).get("port");
          if (p instanceof String name && selected.stream().noneMatch(w -> hasPort(w, name))) {
            report.add(m, "admits port " + name + ", which the selected pods do not declare");
          }
        }
      }
    }
  }

  private static void serviceMonitor(Manifest m, List<Manifest> manifests, Report report) {
    List<Manifest> services =
        manifests.stream()
            .filter(s -> s.kind().equals("Service"))
            .filter(s -> selectorMatches(Yaml.map(m.at("spec", "selector")), s.labels()))
            .toList();
    if (services.isEmpty()) {
      report.add(m, "selects no Service");
    }
    for (Object endpoint : Yaml.list(m.at("spec", "endpoints"))) {
      Object port = Yaml.map(endpoint).get("port");
      for (Manifest s : services) {
        boolean has =
            Yaml.list(s.at("spec", "ports")).stream()
                .anyMatch(p -> port != null && port.equals(Yaml.map(p).get("name")));
        if (!has) {
          report.add(m, "scrapes port " + port + ", which " + s.describe() + " does not have");
        }
      }
    }
  }

  private static void probes(Manifest m, Report report) {
    for (Map<String, Object> c : m.containers()) {
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        Object port = Yaml.map(Yaml.map(c.get(probe)).get("httpGet")).get("port");
        boolean declared =
            Yaml.list(c.get("ports")).stream()
                .anyMatch(
                    p -> Yaml.map(p).get("name") != null && Yaml.map(p).get("name").equals(port));
        if (port instanceof String name && !declared) {
          report.add(
              m,
              "container "
                  + c.get("name")
                  + " "
                  + probe
                  + " uses port "
                  + name
                  + ", which it does not declare");
        }
      }
    }
  }

  private static boolean hasPort(Manifest workload, String name) {
    return workload.containers().stream()
        .flatMap(c -> Yaml.list(c.get("ports")).stream())
        .anyMatch(p -> name.equals(Yaml.map(p).get("name")));
  }

  private static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty()
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** A LabelSelector (matchLabels and In/NotIn/Exists/DoesNotExist expressions). */
  static boolean selectorMatches(Map<String, Object> selector, Map<String, Object> labels) {
    Map<String, Object> matchLabels = Yaml.map(selector.get("matchLabels"));
    if (!matchLabels.isEmpty() && !matches(matchLabels, labels)) {
      return false;
    }
    for (Object expression : Yaml.list(selector.get("matchExpressions"))) {
      Map<String, Object> e = Yaml.map(expression);
      Object value = labels.get(String.valueOf(e.get("key")));
      List<Object> values = Yaml.list(e.get("values"));
      boolean ok =
          switch (String.valueOf(e.get("operator"))) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return !matchLabels.isEmpty() || !Yaml.list(selector.get("matchExpressions")).isEmpty();
  }
}
