package com.reservebtc.deploy.check;

import com.reservebtc.deploy.KafkaAccess;
import com.reservebtc.schemas.Service;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * That the rendered {@code KafkaTopic} and {@code KafkaUser} resources are exactly what the topic
 * catalogue gives ({@link KafkaAccess}): one topic per catalogue topic and dead-letter topic with
 * its partitions and settings, no other topic, and per service exactly its ACLs. Replication is the
 * overlay's: {@code replicas} and {@code min.insync.replicas} as given, and no more replicas than
 * there are brokers.
 */
public final class CatalogueAlignment {

  private CatalogueAlignment() {}

  public static void check(List<Manifest> manifests, int replicas, int minInSync, Report report) {
    topics(manifests, replicas, minInSync, report);
    users(manifests, report);
    int brokers =
        manifests.stream()
            .filter(m -> m.kind().equals("KafkaNodePool"))
            .filter(m -> Yaml.list(m.at("spec", "roles")).contains("broker"))
            .mapToInt(m -> ((Number) m.at("spec", "replicas")).intValue())
            .sum();
    if (brokers < replicas) {
      report.add(
          "topics need "
              + replicas
              + " replicas but the node pools have "
              + brokers
              + " broker(s)");
    }
  }

  private static void topics(List<Manifest> manifests, int replicas, int minInSync, Report report) {
    Map<String, KafkaAccess.TopicSpec> expected = new LinkedHashMap<>();
    KafkaAccess.topics().forEach(t -> expected.put(t.name(), t));
    Set<String> seen = new HashSet<>();
    for (Manifest m : manifests) {
      if (!m.kind().equals("KafkaTopic")) {
        continue;
      }
      clusterLabel(m, report);
      Object topicName = m.at("spec", "topicName");
      String name = topicName == null ? m.name() : topicName.toString();
      KafkaAccess.TopicSpec spec = expected.get(name);
      if (spec == null) {
        report.add(
            m, "topic " + name + " is not in the topic catalogue (com.reservebtc.schemas.Topics)");
        continue;
      }
      if (!seen.add(name)) {
        report.add(m, "a second KafkaTopic for topic " + name);
      }
      if (!Integer.valueOf(spec.partitions()).equals(m.at("spec", "partitions"))) {
        report.add(
            m,
            "partitions "
                + m.at("spec", "partitions")
                + ", the catalogue says "
                + spec.partitions());
      }
      if (!Integer.valueOf(replicas).equals(m.at("spec", "replicas"))) {
        report.add(m, "replicas " + m.at("spec", "replicas") + ", expected " + replicas);
      }
      Map<String, Object> config = new TreeMap<>(spec.config());
      config.put("min.insync.replicas", minInSync);
      Map<String, Object> actual = new TreeMap<>(Yaml.map(m.at("spec", "config")));
      if (!normalized(config).equals(normalized(actual))) {
        report.add(m, "config " + actual + ", expected " + config);
      }
    }
    for (String name : expected.keySet()) {
      if (!seen.contains(name)) {
        report.add("no KafkaTopic for " + name + " (topic catalogue)");
      }
    }
  }

  private static void users(List<Manifest> manifests, Report report) {
    Map<String, Service> services = new LinkedHashMap<>();
    for (Service s : Service.values()) {
      services.put(s.id(), s);
    }
    Set<String> seen = new HashSet<>();
    for (Manifest m : manifests) {
      if (!m.kind().equals("KafkaUser")) {
        continue;
      }
      clusterLabel(m, report);
      Service service = services.get(m.name());
      if (service == null) {
        report.add(m, "is no service of the topic catalogue (com.reservebtc.schemas.Service)");
        continue;
      }
      seen.add(m.name());
      if (!"scram-sha-512".equals(m.at("spec", "authentication", "type"))) {
        report.add(m, "must authenticate with scram-sha-512, as the services do");
      }
      if (!"simple".equals(m.at("spec", "authorization", "type"))) {
        report.add(m, "must use simple authorization (ACLs)");
      }
      Map<String, Set<String>> actual = new TreeMap<>();
      for (Object acl : Yaml.list(m.at("spec", "authorization", "acls"))) {
        Map<String, Object> rule = Yaml.map(acl);
        Map<String, Object> resource = Yaml.map(rule.get("resource"));
        if ("deny".equals(rule.get("type"))) {
          report.add(m, "deny rules are not expected: " + resource);
        }
        Object host = rule.get("host");
        if (host != null && !"*".equals(host)) {
          report.add(m, "ACLs apply to every host, not " + host);
        }
        String key =
            key(
                String.valueOf(resource.get("type")),
                String.valueOf(resource.get("name")),
                String.valueOf(resource.getOrDefault("patternType", "literal")));
        actual
            .computeIfAbsent(key, k -> new TreeSet<>())
            .addAll(Yaml.list(rule.get("operations")).stream().map(String::valueOf).toList());
      }
      Map<String, Set<String>> expected = new TreeMap<>();
      KafkaAccess.acls()
          .get(service)
          .forEach((r, ops) -> expected.put(key(r.type(), r.name(), r.patternType()), ops));
      for (Map.Entry<String, Set<String>> e : actual.entrySet()) {
        Set<String> allowed = expected.getOrDefault(e.getKey(), Set.of());
        Set<String> extra = new TreeSet<>(e.getValue());
        extra.removeAll(allowed);
        if (!extra.isEmpty()) {
          report.add(
              m,
              "allows "
                  + extra
                  + " on "
                  + e.getKey()
                  + ", which the topic catalogue does not give it");
        }
      }
      for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
        Set<String> missing = new TreeSet<>(e.getValue());
        missing.removeAll(actual.getOrDefault(e.getKey(), Set.of()));
        if (!missing.isEmpty()) {
          report.add(
              m, "lacks " + missing + " on " + e.getKey() + ", which the topic catalogue gives it");
        }
      }
    }
    for (String id : services.keySet()) {
      if (!seen.contains(id)) {
        report.add("no KafkaUser for service " + id);
      }
    }
  }

  private static void clusterLabel(Manifest m, Report report) {
    if (!KafkaAccess.CLUSTER.equals(m.labels().get("strimzi.io/cluster"))) {
      report.add(m, "must carry the label strimzi.io/cluster: " + KafkaAccess.CLUSTER);
    }
  }

  private static String key(String type, String name, String patternType) {
    return type + " " + name + ("prefix".equals(patternType) ? "*" : "");
  }

  /** Values as text: Strimzi takes 2 and "2" alike. */
  private static Map<String, String> normalized(Map<String, Object> config) {
    Map<String, String> out = new TreeMap<>();
    config.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
