package com.reservebtc.deploy.check;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A custom resource's OpenAPI v3 "structural" schema ({@code openAPIV3Schema} of its CRD), checked
 * the way the API server prunes and validates: fields not declared are unknown (unless {@code
 * x-kubernetes-preserve-unknown-fields}), and type, required, enum, pattern, length, minimum,
 * maximum, list-map keys and the {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not} constraints
 * apply. CEL rules ({@code x-kubernetes-validations}) and formats are not evaluated.
 */
final class StructuralSchema implements Schema {

  private final Map<String, Object> node;

  /** In allOf/anyOf/oneOf/not branches: they constrain values but do not declare fields. */
  private final boolean constraintsOnly;

  StructuralSchema(Map<String, Object> node) {
    this(node, false);
  }

  private StructuralSchema(Map<String, Object> node, boolean constraintsOnly) {
    this.node = node;
    this.constraintsOnly = constraintsOnly;
  }

  @Override
  public void validate(Object value, String path, Violations violations) {
    if (value == null) {
      return; // null is absent
    }
    if (Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string"))) {
      if (!(value instanceof String) && !Schema.isIntegral(value)) {
        violations.add(path, "expected an integer or a string, got " + Schema.describe(value));
      }
    } else {
      Object type = node.get("type");
      if (type != null && !typeMatches(type.toString(), value)) {
        violations.add(
            path, "expected " + article(type.toString()) + ", got " + Schema.describe(value));
        return;
      }
      if (value instanceof Map<?, ?> map) {
        object(map, path, violations);
      } else if (value instanceof List<?> list) {
        array(list, path, violations);
      } else {
        scalar(value, path, violations);
      }
    }
    combinators(value, path, violations);
  }

  private void object(Map<?, ?> map, String path, Violations violations) {
    Map<String, Object> properties = Yaml.map(node.get("properties"));
    Object additional = node.get("additionalProperties");
    boolean preserve = Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      String at = Schema.child(path, key);
      Object declared = properties.get(key);
      if (declared instanceof Map<?, ?>) {
        new StructuralSchema(Yaml.map(declared), constraintsOnly)
            .validate(entry.getValue(), at, violations);
      } else if (additional instanceof Map<?, ?>) {
        new StructuralSchema(Yaml.map(additional), constraintsOnly)
            .validate(entry.getValue(), at, violations);
      } else if (!constraintsOnly && !preserve && !Boolean.TRUE.equals(additional)) {
        violations.add(at, "unknown field");
      }
    }
    for (Object required : Yaml.list(node.get("required"))) {
      if (map.get(required) == null) {
        violations.add(Schema.child(path, required.toString()), "required field is missing");
      }
    }
  }

  private void array(List<?> list, String path, Violations violations) {
    Object items = node.get("items");
    if (items instanceof Map<?, ?>) {
      Schema schema = new StructuralSchema(Yaml.map(items), constraintsOnly);
      for (int i = 0; i < list.size(); i++) {
        schema.validate(list.get(i), Schema.item(path, i), violations);
      }
    }
    if (node.get("minItems") instanceof Number min && list.size() < min.intValue()) {
      violations.add(path, "needs at least " + min + " item(s), has " + list.size());
    }
    if (node.get("maxItems") instanceof Number max && list.size() > max.intValue()) {
      violations.add(path, "allows at most " + max + " item(s), has " + list.size());
    }
    String listType = String.valueOf(node.get("x-kubernetes-list-type"));
    if (listType.equals("set") && new HashSet<>(list).size() != list.size()) {
      violations.add(path, "items must be unique (list-type set)");
    }
    if (listType.equals("map")) {
      List<Object> keys = Yaml.list(node.get("x-kubernetes-list-map-keys"));
      Set<List<Object>> seen = new HashSet<>();
      for (Object item : list) {
        List<Object> key = new ArrayList<>();
        for (Object k : keys) {
          key.add(Yaml.map(item).get(k.toString()));
        }
        if (!seen.add(key)) {
          violations.add(path, "two items have the same key " + keys + " = " + key);
        }
      }
    }
  }

  private void scalar(Object value, String path, Violations violations) {
    List<Object> allowed = Yaml.list(node.get("enum"));
    if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> sameValue(a, value))) {
      violations.add(path, Schema.describe(value) + " is not one of " + allowed);
    }
    if (value instanceof String text) {
      if (node.get("pattern") instanceof String pattern
          && !Pattern.compile(pattern).matcher(text).find()) {
        violations.add(path, "\"" + text + "\" does not match " + pattern);
      }
      if (node.get("minLength") instanceof Number min && text.length() < min.intValue()) {
        violations.add(path, "must be at least " + min + " character(s)");
      }
      if (node.get("maxLength") instanceof Number max && text.length() > max.intValue()) {
        violations.add(path, "must be at most " + max + " character(s)");
      }
    }
    if (value instanceof Number number) {
      BigDecimal actual = new BigDecimal(number.toString());
      if (node.get("minimum") instanceof Number min
          && actual.compareTo(new BigDecimal(min.toString())) < 0) {
        violations.add(path, number + " is below the minimum " + min);
      }
      if (node.get("maximum") instanceof Number max
          && actual.compareTo(new BigDecimal(max.toString())) > 0) {
        violations.add(path, number + " is above the maximum " + max);
      }
    }
  }

  private void combinators(Object value, String path, Violations violations) {
    for (Object branch : Yaml.list(node.get("allOf"))) {
      branch(branch).validate(value, path, violations);
    }
    List<Object> anyOf = Yaml.list(node.get("anyOf"));
    if (!anyOf.isEmpty() && anyOf.stream().noneMatch(b -> passes(b, value, path))) {
      violations.add(path, "matches none of the allowed forms (anyOf)");
    }
    List<Object> oneOf = Yaml.list(node.get("oneOf"));
    if (!oneOf.isEmpty()) {
      long matching = oneOf.stream().filter(b -> passes(b, value, path)).count();
      if (matching != 1) {
        violations.add(
            path, "must match exactly one of the allowed forms (oneOf), matches " + matching);
      }
    }
    Object not = node.get("not");
    if (not instanceof Map<?, ?> && passes(not, value, path)) {
      violations.add(path, "matches a form that is not allowed (not)");
    }
  }

  private static StructuralSchema branch(Object schema) {
    return new StructuralSchema(Yaml.map(schema), true);
  }

  private static boolean passes(Object schema, Object value, String path) {
    List<String> found = new ArrayList<>();
    branch(schema).validate(value, path, (p, m) -> found.add(m));
    return found.isEmpty();
  }

  private static boolean typeMatches(String type, Object value) {
    return switch (type) {
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      case "string" -> value instanceof String;
      case "integer" -> Schema.isIntegral(value);
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      default -> throw new IllegalStateException("unknown schema type " + type);
    };
  }

  private static boolean sameValue(Object allowed, Object value) {
    if (allowed instanceof Number a && value instanceof Number v) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(v.toString())) == 0;
    }
    return Objects.equals(allowed, value);
  }

  private static String article(String type) {
    return (type.startsWith("a") || type.startsWith("o") || type.startsWith("i") ? "an " : "a ")
        + type;
  }
}
