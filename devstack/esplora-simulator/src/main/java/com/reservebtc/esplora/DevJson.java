package com.reservebtc.esplora;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Strict reading of dev-control request bodies: unknown fields, wrong types, fractional or
 * out-of-range numbers are rejected with a message naming the field, never silently defaulted.
 */
final class DevJson {
  private final JsonNode node;

  private DevJson(JsonNode node) {
    this.node = node;
  }

  /** Parses a request body; an empty body is an empty object (every field at its default). */
  static DevJson parse(byte[] body, Set<String> allowedFields) {
    JsonNode node;
    if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      node = JsonCodec.MAPPER.createObjectNode();
    } else {
      try {
        node = JsonCodec.MAPPER.readTree(body);
      } catch (JacksonException e) {
        throw new RejectedRequestException("body is not valid JSON: " + firstClause(e));
      }
    }
    return of(node, allowedFields, "body");
  }

  /** Jackson's message without the parser-location details that mean nothing to a caller. */
  private static String firstClause(JacksonException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int end = message.indexOf(": ");
    return end > 0 ? message.substring(0, end) : message;
  }

  private static DevJson of(JsonNode node, Set<String> allowedFields, String what) {
    if (node == null || !node.isObject()) {
      throw new RejectedRequestException(what + " must be a JSON object");
    }
    for (String name : node.propertyNames()) {
      if (!allowedFields.contains(name)) {
        throw new RejectedRequestException(
            "unknown field '"
                + name
                + "' in "
                + what
                + "; allowed: "
                + new TreeSet<>(allowedFields));
      }
    }
    return new DevJson(node);
  }

  boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  String requireString(String field) {
    String value = optionalString(field);
    if (value == null) {
      throw new RejectedRequestException(field + " is required");
    }
    return value;
  }

  String optionalString(String field) {
    if (!has(field)) {
      return null;
    }
    JsonNode value = node.get(field);
    if (!value.isString()) {
      throw new RejectedRequestException(field + " must be a string");
    }
    return value.stringValue();
  }

  long requireLong(String field) {
    if (!has(field)) {
      throw new RejectedRequestException(field + " is required");
    }
    return optionalLong(field, 0);
  }

  long optionalLong(String field, long defaultValue) {
    if (!has(field)) {
      return defaultValue;
    }
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber()) {
      throw new RejectedRequestException(field + " must be a whole number, was " + value);
    }
    if (!value.canConvertToLong()) {
      throw new RejectedRequestException(field + " is out of range: " + value);
    }
    return value.longValue();
  }

  int optionalInt(String field, int defaultValue) {
    long value = optionalLong(field, defaultValue);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new RejectedRequestException(field + " is out of range: " + value);
    }
    return (int) value;
  }

  boolean optionalBoolean(String field, boolean defaultValue) {
    if (!has(field)) {
      return defaultValue;
    }
    JsonNode value = node.get(field);
    if (!value.isBoolean()) {
      throw new RejectedRequestException(field + " must be true or false");
    }
    return value.booleanValue();
  }

  List<String> optionalStringList(String field) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode value = node.get(field);
    if (!value.isArray()) {
      throw new RejectedRequestException(field + " must be an array of strings");
    }
    List<String> result = new ArrayList<>();
    for (JsonNode element : value.values()) {
      if (!element.isString()) {
        throw new RejectedRequestException(field + " must be an array of strings");
      }
      result.add(element.stringValue());
    }
    return result;
  }

  /** The objects of an array field, each checked against {@code allowedFields}. */
  List<DevJson> optionalObjectList(String field, Set<String> allowedFields) {
    if (!has(field)) {
      return List.of();
    }
    JsonNode value = node.get(field);
    if (!value.isArray()) {
      throw new RejectedRequestException(field + " must be an array of objects");
    }
    List<DevJson> result = new ArrayList<>();
    for (JsonNode element : value.values()) {
      result.add(of(element, allowedFields, "each " + field + " entry"));
    }
    return result;
  }
}
