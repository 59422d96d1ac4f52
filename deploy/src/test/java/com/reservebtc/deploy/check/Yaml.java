package com.reservebtc.deploy.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads multi-document YAML into {@link Manifest}s, and small casts for walking the result. */
public final class Yaml {

  private Yaml() {}

  /** Every non-empty document of {@code text}. */
  public static List<Manifest> parse(String text, String source) {
    List<Manifest> manifests = new ArrayList<>();
    for (Object document : loader().loadAll(text)) {
      if (document == null) {
        continue;
      }
      if (!(document instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(
            source + ": a document is not a mapping: " + abbreviate(document));
      }
      manifests.add(new Manifest(map(document), source));
    }
    return manifests;
  }

  public static List<Manifest> read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A single-document YAML file as a map. */
  public static Map<String, Object> readMap(Path file) {
    try {
      return map(loader().load(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A loader for Kubernetes YAML: like kubectl's it reads timestamps as plain strings (Kubernetes
   * has no timestamp type in YAML).
   */
  private static org.yaml.snakeyaml.Yaml loader() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(16 * 1024 * 1024);
    SafeConstructor constructor =
        new SafeConstructor(options) {
          {
            yamlConstructors.put(Tag.TIMESTAMP, yamlConstructors.get(Tag.STR));
          }
        };
    return new org.yaml.snakeyaml.Yaml(constructor);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  public static Map<String, Object> mapOrNull(Object value) {
    return value instanceof Map<?, ?> ? map(value) : null;
  }

  public static List<Object> list(Object value) {
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    return List.of();
  }

  public static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
