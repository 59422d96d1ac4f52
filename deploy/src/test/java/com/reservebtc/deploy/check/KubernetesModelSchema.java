package com.reservebtc.deploy.check;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema of a Kubernetes API type as the official Java client's generated model states it
 * ({@code io.kubernetes:client-java-api}): the JSON name and Java type of every field, and the
 * required fields ({@code openapiRequiredFields}). Unknown fields, missing required fields and
 * values of the wrong YAML type are violations, as they are for the API server; quantities must
 * parse. String enumerations are not known to the model and not checked.
 */
final class KubernetesModelSchema implements Schema {

  private record ModelType(Map<String, Type> fields, Set<String> required) {}

  private static final Map<Class<?>, ModelType> MODELS = new ConcurrentHashMap<>();

  private final Type type;

  KubernetesModelSchema(Type type) {
    this.type = type;
  }

  @Override
  public void validate(Object value, String path, Violations violations) {
    if (value == null) {
      return; // null is absent
    }
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        if (!(value instanceof List<?> list)) {
          violations.add(path, "expected an array, got " + Schema.describe(value));
          return;
        }
        Schema items = new KubernetesModelSchema(args[0]);
        for (int i = 0; i < list.size(); i++) {
          items.validate(list.get(i), Schema.item(path, i), violations);
        }
        return;
      }
      if (Map.class.isAssignableFrom(raw)) {
        if (!(value instanceof Map<?, ?> map)) {
          violations.add(path, "expected an object, got " + Schema.describe(value));
          return;
        }
        Schema values = new KubernetesModelSchema(args[1]);
        map.forEach(
            (k, v) -> values.validate(v, Schema.child(path, String.valueOf(k)), violations));
        return;
      }
      throw new IllegalStateException("no rule for the model type " + type);
    }
    Class<?> cls = (Class<?>) type;
    if (cls == String.class || cls == OffsetDateTime.class || cls == byte[].class) {
      expect(value instanceof String, "a string", value, path, violations);
    } else if (cls == Integer.class) {
      expect(
          Schema.isIntegral(value) && ((Number) value).longValue() == ((Number) value).intValue(),
          "a 32-bit integer",
          value,
          path,
          violations);
    } else if (cls == Long.class) {
      expect(Schema.isIntegral(value), "an integer", value, path, violations);
    } else if (cls == Boolean.class) {
      expect(value instanceof Boolean, "a boolean", value, path, violations);
    } else if (cls == Double.class || cls == Float.class || cls == BigDecimal.class) {
      expect(value instanceof Number, "a number", value, path, violations);
    } else if (cls == IntOrString.class) {
      expect(
          value instanceof String || Schema.isIntegral(value),
          "an integer or a string",
          value,
          path,
          violations);
    } else if (cls == Quantity.class) {
      quantity(value, path, violations);
    } else if (cls == Object.class) {
      // free-form (e.g. raw JSON); anything goes
    } else {
      object(model(cls), cls, value, path, violations);
    }
  }

  private static void object(
      ModelType model, Class<?> cls, Object value, String path, Violations violations) {
    if (!(value instanceof Map<?, ?> map)) {
      violations.add(
          path, "expected an object (" + cls.getSimpleName() + "), got " + Schema.describe(value));
      return;
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Type field = model.fields().get(key);
      String at = Schema.child(path, key);
      if (field == null) {
        violations.add(at, "unknown field (not in " + cls.getSimpleName() + ")");
      } else {
        new KubernetesModelSchema(field).validate(entry.getValue(), at, violations);
      }
    }
    for (String required : model.required()) {
      if (map.get(required) == null) {
        violations.add(Schema.child(path, required), "required field is missing");
      }
    }
  }

  private static void quantity(Object value, String path, Violations violations) {
    if (Schema.isIntegral(value) || value instanceof Number) {
      return;
    }
    if (!(value instanceof String text)) {
      violations.add(path, "expected a quantity, got " + Schema.describe(value));
      return;
    }
    try {
      Quantity.fromString(text);
    } catch (RuntimeException e) {
      violations.add(path, "not a quantity: \"" + text + "\"");
    }
  }

  private static void expect(
      boolean ok, String expected, Object value, String path, Violations violations) {
    if (!ok) {
      violations.add(path, "expected " + expected + ", got " + Schema.describe(value));
    }
  }

  private static ModelType model(Class<?> cls) {
    return MODELS.computeIfAbsent(cls, KubernetesModelSchema::read);
  }

  @SuppressWarnings("unchecked")
  private static ModelType read(Class<?> cls) {
    Map<String, Type> fields = new LinkedHashMap<>();
    for (Field field : cls.getDeclaredFields()) {
      SerializedName name = field.getAnnotation(SerializedName.class);
      if (name != null && !Modifier.isStatic(field.getModifiers())) {
        fields.put(name.value(), field.getGenericType());
      }
    }
    if (fields.isEmpty()) {
      throw new IllegalStateException("no rule for the model type " + cls.getName());
    }
    try {
      Set<String> required = (Set<String>) cls.getField("openapiRequiredFields").get(null);
      return new ModelType(Map.copyOf(fields), Set.copyOf(required));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(cls.getName() + " has no openapiRequiredFields", e);
    }
  }
}
