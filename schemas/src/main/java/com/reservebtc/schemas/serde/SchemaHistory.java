package com.reservebtc.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * The released versions of each value schema, kept under {@code avro-history/} and listed in {@code
 * avro-history/index}. A schema is added here when a version is released; the build checks that the
 * current schemas can read every released version, so old records stay readable.
 */
public final class SchemaHistory {

  private static final String INDEX = "avro-history/index";

  private static final Map<String, List<Schema>> BY_FULL_NAME = load();

  private SchemaHistory() {}

  /** Earlier released writer schemas of the record with this full name, oldest first. */
  public static List<Schema> releasedVersionsOf(String fullName) {
    return BY_FULL_NAME.getOrDefault(fullName, List.of());
  }

  /** Every released schema, grouped by full name. */
  public static Map<String, List<Schema>> all() {
    return BY_FULL_NAME;
  }

  private static Map<String, List<Schema>> load() {
    List<Schema> schemas = new ArrayList<>();
    for (String resource : readLines(INDEX)) {
      try (InputStream in = open("avro-history/" + resource)) {
        schemas.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + resource, e);
      }
    }
    return schemas.stream()
        .collect(Collectors.groupingBy(Schema::getFullName, Collectors.toUnmodifiableList()));
  }

  private static List<String> readLines(String resource) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
      return reader
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing resource " + resource + " in the schemas jar");
    }
    return in;
  }
}
