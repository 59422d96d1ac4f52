package com.reservebtc.gateway.api;

import org.springframework.http.HttpStatus;

/**
 * A request the API answers with {@code status} and an {@link ApiError} body {@code {error: code,
 * message}}, optionally with a {@code Retry-After} header.
 */
public final class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final Long retryAfterSeconds;

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, null);
  }

  public ApiException(HttpStatus status, String code, String message, Long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 415 for a write whose body is not sent as application/json. */
  public static ApiException notJson() {
    return new ApiException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the request body as application/json");
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds for the Retry-After header, or null for none. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
