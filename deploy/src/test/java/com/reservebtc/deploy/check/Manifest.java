package com.reservebtc.deploy.check;

import java.util.List;
import java.util.Map;

/**
 * One Kubernetes object as parsed from YAML: maps, lists, strings, numbers and booleans.
 *
 * @param body the whole object
 * @param source where it was read from (a file or an overlay), for messages
 */
public record Manifest(Map<String, Object> body, String source) {

  public String apiVersion() {
    return string(body.get("apiVersion"));
  }

  public String kind() {
    return string(body.get("kind"));
  }

  public String name() {
    return string(metadata().get("name"));
  }

  public String namespace() {
    return string(metadata().get("namespace"));
  }

  public Map<String, Object> metadata() {
    return Yaml.map(body.get("metadata"));
  }

  public Map<String, Object> spec() {
    return Yaml.map(body.get("spec"));
  }

  /** Labels of the object itself. */
  public Map<String, Object> labels() {
    return Yaml.map(metadata().get("labels"));
  }

  /** "Kind namespace/name", the way every message names an object. */
  public String describe() {
    String ns = namespace();
    return kind() + " " + (ns.isEmpty() ? "" : ns + "/") + name();
  }

  /** The value at a path of map keys, or null. */
  public Object at(String... keys) {
    Object node = body;
    for (String key : keys) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  /** The pod template's spec of a workload, or null for other kinds. */
  public Map<String, Object> podSpec() {
    return switch (kind()) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
          Yaml.mapOrNull(at("spec", "template", "spec"));
      case "CronJob" -> Yaml.mapOrNull(at("spec", "jobTemplate", "spec", "template", "spec"));
      case "Pod" -> Yaml.mapOrNull(at("spec"));
      default -> null;
    };
  }

  /** Labels of the pod template of a workload (empty for other kinds). */
  public Map<String, Object> podLabels() {
    return switch (kind()) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
          Yaml.map(at("spec", "template", "metadata", "labels"));
      default -> Map.of();
    };
  }

  /** Containers and init containers of a workload's pod template. */
  public List<Map<String, Object>> containers() {
    Map<String, Object> pod = podSpec();
    if (pod == null) {
      return List.of();
    }
    return java.util.stream.Stream.concat(
            Yaml.list(pod.get("initContainers")).stream(),
            Yaml.list(pod.get("containers")).stream())
        .map(Yaml::map)
        .toList();
  }

  private static String string(Object value) {
    return value == null ? "" : value.toString();
  }
}
