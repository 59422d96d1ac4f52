package com.reservebtc.schemas;

import java.util.Locale;

/**
 * The services that write or read topics. Each has one Kafka principal, one consumer group and one
 * database schema in a deployment; {@link #id()} is the name used for all three.
 */
public enum Service {
  INDEXER("indexer-service"),
  ORACLE("oracle-service"),
  EMERGENCY_BURN("emergency-burn-service"),
  YIELD("yield-service"),
  GATEWAY("api-gateway");

  private final String id;

  Service(String id) {
    this.id = id;
  }

  /** The service's module name, Kafka principal and consumer group id. */
  public String id() {
    return id;
  }

  /** The service with this id. */
  public static Service byId(String id) {
    for (Service service : values()) {
      if (service.id.equals(id)) {
        return service;
      }
    }
    throw new IllegalArgumentException(
        "no service named '" + id + "'; one of " + java.util.Arrays.toString(values()));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
