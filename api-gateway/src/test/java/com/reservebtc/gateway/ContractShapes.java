package com.reservebtc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares a JSON response with the captured response of the original API (the frontend contract):
 * every captured field must exist with the same JSON type (number, string, boolean, object, array)
 * at the same place. Null is accepted where the captured value is null or where the caller declares
 * the field nullable. Fields the capture does not have must be declared as allowed extras, so
 * additions are deliberate.
 */
public final class ContractShapes {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNode CAPTURES = load();

  private ContractShapes() {}

  /** The captured response of {@code endpoint}, e.g. {@code /api/realtime/balances}. */
  public static JsonNode capture(String endpoint) {
    for (JsonNode capture : CAPTURES.get("captures")) {
      if (capture.get("endpoint").asString().equals(endpoint)) {
        return capture.get("response");
      }
    }
    throw new IllegalArgumentException("no capture of " + endpoint);
  }

  /**
   * @param nullable paths (e.g. {@code lastUpdate}, {@code [].bitcoin_address}) that may be null
   * @param extras paths of fields the capture does not have but the response may
   */
  public static void assertMatches(
      String endpoint, JsonNode actual, Set<String> nullable, Set<String> extras) {
    List<String> problems = new ArrayList<>();
    compare(capture(endpoint), actual, "", nullable, extras, problems);
    assertThat(problems).as("shape of %s against the captured contract", endpoint).isEmpty();
  }

  public static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  public static JsonNode toTree(Object value) {
    return JSON.valueToTree(value);
  }

  private static void compare(
      JsonNode expected,
      JsonNode actual,
      String path,
      Set<String> nullable,
      Set<String> extras,
      List<String> problems) {
    if (actual == null || actual.isMissingNode()) {
      problems.add(path + ": missing");
      return;
    }
    if (expected.isNull()) {
      return;
    }
    if (actual.isNull()) {
      if (!nullable.contains(path)) {
        problems.add(path + ": null where the contract has " + expected.getNodeType());
      }
      return;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      problems.add(
          path + ": " + actual.getNodeType() + " where the contract has " + expected.getNodeType());
      return;
    }
    if (expected.isObject()) {
      if (path.endsWith("metadata")) {
        return; // an open object in the contract
      }
      Set<String> actualNames = new TreeSet<>(actual.propertyNames());
      for (String name : expected.propertyNames()) {
        String child = path.isEmpty() ? name : path + "." + name;
        compare(expected.get(name), actual.get(name), child, nullable, extras, problems);
        actualNames.remove(name);
      }
      for (String name : actualNames) {
        String child = path.isEmpty() ? name : path + "." + name;
        if (!extras.contains(child)) {
          problems.add(child + ": not in the contract");
        }
      }
    } else if (expected.isArray() && !expected.isEmpty()) {
      String child = path + "[]";
      Set<String> elementNullable = new TreeSet<>(nullable);
      JsonNode prototype = prototype(expected, child, elementNullable);
      for (JsonNode element : actual) {
        compare(prototype, element, child, elementNullable, extras, problems);
      }
    }
  }

  /**
   * The captured array elements merged into one: for each field the first non-null captured value;
   * a field captured as null in some element is nullable.
   */
  private static JsonNode prototype(JsonNode elements, String path, Set<String> nullable) {
    JsonNode first = elements.get(0);
    if (!first.isObject()) {
      return first;
    }
    ObjectNode merged = JSON.createObjectNode();
    for (JsonNode element : elements) {
      for (String name : element.propertyNames()) {
        JsonNode value = element.get(name);
        if (value.isNull()) {
          nullable.add(path + "." + name);
        }
        if (!merged.has(name) || merged.get(name).isNull()) {
          merged.set(name, value);
        }
      }
    }
    return merged;
  }

  private static JsonNode load() {
    try (InputStream in =
        ContractShapes.class.getResourceAsStream("/contract/realtime-captures.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
