package com.reservebtc.esplora;

/** Ends a request with a status and a message (plain text on Esplora routes, JSON on dev ones). */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  HttpProblem(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static HttpProblem notFound(String message) {
    return new HttpProblem(404, message);
  }

  int status() {
    return status;
  }
}
