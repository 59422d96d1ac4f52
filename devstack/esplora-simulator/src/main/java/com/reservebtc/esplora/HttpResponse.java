package com.reservebtc.esplora;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A complete HTTP answer, built before anything is written to the socket. */
record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final String TEXT = "text/plain";
  static final String JSON = "application/json";

  HttpResponse {
    headers = Map.copyOf(headers);
  }

  static HttpResponse text(int status, String message) {
    return new HttpResponse(status, TEXT, message.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static HttpResponse json(int status, Object value) {
    return new HttpResponse(status, JSON, JsonCodec.MAPPER.writeValueAsBytes(value), Map.of());
  }

  static HttpResponse jsonError(int status, String message) {
    return json(status, Map.of("error", message));
  }

  HttpResponse withHeader(String name, String value) {
    Map<String, String> merged = new HashMap<>(headers);
    merged.put(name, value);
    return new HttpResponse(status, contentType, body, merged);
  }
}
