package com.reservebtc.oracle.bitcoin;

import java.util.Objects;

/**
 * A request to an Esplora source that produced no usable answer. Never means "zero". The message
 * names the source by its alias and the endpoint by its path, never the source's URL (which may
 * carry credentials) or the body it answered.
 */
final class EsploraException extends Exception {

  private final Kind kind;

  EsploraException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  Kind kind() {
    return kind;
  }

  enum Kind {
    /** No answer within the request timeout. */
    TIMEOUT,
    /** Connection refused, reset or similar. */
    UNREACHABLE,
    /** Still 429 after the allowed retries, or a Retry-After longer than we wait. */
    RATE_LIMITED,
    /** An unexpected HTTP status. */
    HTTP_STATUS,
    /** A 200 whose body is not what Esplora sends. */
    MALFORMED,
    /** The tip moved while it was being read, more often than we retry. */
    UNSTABLE_TIP
  }
}
