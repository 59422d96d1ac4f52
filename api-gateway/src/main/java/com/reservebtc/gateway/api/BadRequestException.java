package com.reservebtc.gateway.api;

/** A request the API rejects with HTTP 400 and an {@link ApiError} body. */
public final class BadRequestException extends RuntimeException {

  private final String code;

  public BadRequestException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
