package com.reservebtc.reserves.verifier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for the verifier's input files: objects become {@link
 * Map}s, arrays {@link List}s, numbers {@link BigDecimal}s, strings, booleans and {@code null}.
 */
final class Json {

  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    Json json = new Json(text);
    json.skipSpace();
    Object value = json.value();
    json.skipSpace();
    if (json.at != text.length()) {
      throw json.error("unexpected text after the JSON value");
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object value, String what) {
    if (!(value instanceof List)) {
      throw new IllegalArgumentException(what + " must be a JSON array");
    }
    return (List<Object>) value;
  }

  static String string(Map<String, Object> object, String field) {
    if (!(object.get(field) instanceof String s)) {
      throw new IllegalArgumentException("field '" + field + "' must be a string");
    }
    return s;
  }

  static long integer(Map<String, Object> object, String field) {
    if (!(object.get(field) instanceof BigDecimal d)) {
      throw new IllegalArgumentException("field '" + field + "' must be a number");
    }
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("field '" + field + "' must be a whole number in range");
    }
  }

  private Object value() {
    if (at >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> objectValue();
      case '[' -> arrayValue();
      case '"' -> stringValue();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> numberValue();
    };
  }

  private Map<String, Object> objectValue() {
    Map<String, Object> map = new LinkedHashMap<>();
    at++;
    skipSpace();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a field name");
      }
      String key = stringValue();
      skipSpace();
      expect(':');
      skipSpace();
      if (map.containsKey(key)) {
        throw error("duplicate field '" + key + "'");
      }
      map.put(key, value());
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> arrayValue() {
    List<Object> list = new ArrayList<>();
    at++;
    skipSpace();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      skipSpace();
      list.add(value());
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String stringValue() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length() || !text.substring(at, at + 4).matches("[0-9a-fA-F]{4}")) {
            throw error("bad \\u escape");
          }
          out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
          at += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private BigDecimal numberValue() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String number = text.substring(start, at);
    if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw error("not a JSON value");
    }
    return new BigDecimal(number);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("not a JSON value");
    }
    at += word.length();
    return value;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    at++;
  }

  private void skipSpace() {
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("invalid JSON at character " + at + ": " + message);
  }
}
