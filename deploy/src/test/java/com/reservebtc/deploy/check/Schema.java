package com.reservebtc.deploy.check;

/** Validates a parsed YAML value against one schema, reporting each violation with its path. */
interface Schema {

  /** Receives one violation: where (".spec.replicas") and what. */
  interface Violations {
    void add(String path, String message);
  }

  void validate(Object value, String path, Violations violations);

  /** Path of a map entry below {@code path}; keys that are not plain words are bracketed. */
  static String child(String path, String key) {
    return key.matches("[A-Za-z0-9_-]+") ? path + "." + key : path + "[\"" + key + "\"]";
  }

  static String item(String path, int index) {
    return path + "[" + index + "]";
  }

  /** A value's YAML type and (short) text, for messages. */
  static String describe(Object value) {
    String type;
    if (value == null) {
      type = "null";
    } else if (value instanceof String) {
      type = "string";
    } else if (value instanceof Boolean) {
      type = "boolean";
    } else if (isIntegral(value)) {
      type = "integer";
    } else if (value instanceof Number) {
      type = "number";
    } else if (value instanceof java.util.Map<?, ?>) {
      type = "object";
    } else if (value instanceof java.util.List<?>) {
      type = "array";
    } else {
      type = value.getClass().getSimpleName();
    }
    if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
      return type;
    }
    return type + " " + Yaml.abbreviate(value instanceof String ? "\"" + value + "\"" : value);
  }

  static boolean isIntegral(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger;
  }
}
