package com.reservebtc.deploy.check;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The schema of every kind a manifest may have: built-in kinds from the Kubernetes Java client's
 * model ({@link KubernetesModelSchema}), custom resources from the operators' CRDs kept under
 * {@code src/test/resources/crds} ({@link StructuralSchema}; versions and sources in the README
 * there). An object whose apiVersion and kind are in neither is itself a violation.
 */
public final class Schemas {

  private static final Map<String, Class<?>> BUILT_IN =
      Map.ofEntries(
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class));

  private static final Schema OBJECT_META = new KubernetesModelSchema(V1ObjectMeta.class);

  private final Map<String, Schema> custom;

  private Schemas(Map<String, Schema> custom) {
    this.custom = custom;
  }

  /** The built-in kinds and the custom resources of every CRD under {@code crds/}. */
  public static Schemas load() {
    Map<String, Schema> custom = new HashMap<>();
    try (Stream<Path> files = Files.walk(resource("crds"))) {
      files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .forEach(f -> addCrd(Yaml.readMap(f), custom));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Schemas(Map.copyOf(custom));
  }

  private static void addCrd(Map<String, Object> crd, Map<String, Schema> custom) {
    Map<String, Object> spec = Yaml.map(crd.get("spec"));
    String group = String.valueOf(spec.get("group"));
    String kind = String.valueOf(Yaml.map(spec.get("names")).get("kind"));
    for (Object version : Yaml.list(spec.get("versions"))) {
      Map<String, Object> v = Yaml.map(version);
      if (Boolean.TRUE.equals(v.get("served"))) {
        // CRDs declare metadata only as "object"; it is validated as ObjectMeta instead.
        Map<String, Object> schema =
            new LinkedHashMap<>(Yaml.map(Yaml.map(v.get("schema")).get("openAPIV3Schema")));
        Map<String, Object> properties = new LinkedHashMap<>(Yaml.map(schema.get("properties")));
        properties.put(
            "metadata", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true));
        schema.put("properties", properties);
        custom.put(group + "/" + v.get("name") + "/" + kind, new StructuralSchema(schema));
      }
    }
  }

  /** Every apiVersion/kind this can validate. */
  public Set<String> kinds() {
    Set<String> kinds = new TreeSet<>(BUILT_IN.keySet());
    kinds.addAll(custom.keySet());
    return kinds;
  }

  /** Reports every way {@code manifest} differs from the schema of its kind. */
  public void validate(Manifest manifest, Report report) {
    String key = manifest.apiVersion() + "/" + manifest.kind();
    Schema.Violations violations = (path, message) -> report.add(manifest, path + ": " + message);
    if (manifest.name().isEmpty()) {
      report.add(manifest, "metadata.name is missing");
    }
    Class<?> builtIn = BUILT_IN.get(key);
    if (builtIn != null) {
      new KubernetesModelSchema(builtIn).validate(manifest.body(), "", violations);
      return;
    }
    Schema schema = custom.get(key);
    if (schema == null) {
      report.add(
          manifest,
          "no schema for apiVersion "
              + manifest.apiVersion()
              + " kind "
              + manifest.kind()
              + " (known: built-in kinds and the CRDs under deploy/src/test/resources/crds)");
      return;
    }
    schema.validate(manifest.body(), "", violations);
    OBJECT_META.validate(manifest.body().get("metadata"), ".metadata", violations);
  }

  private static Path resource(String name) {
    URL url = Schemas.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("no " + name + " on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
