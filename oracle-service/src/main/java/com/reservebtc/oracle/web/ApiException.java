package com.reservebtc.oracle.web;

import java.util.Objects;
import org.springframework.http.HttpStatus;

/**
 * A request the service answers with a specific 4xx status and error code, e.g. 404 for a snapshot
 * that does not exist. The message says what was wrong.
 */
public final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  public ApiException(HttpStatus status, String code, String message) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
    this.code = Objects.requireNonNull(code, "code");
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }
}
