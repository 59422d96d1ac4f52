package com.reservebtc.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record written with a schema this reader does not know yet (a newer producer). Not a malformed
 * record: the consumer must wait for its own upgrade rather than dead-letter it — consumers are
 * upgraded before producers when a schema changes.
 */
public final class UnknownSchemaException extends SerializationException {

  private final long fingerprint;

  public UnknownSchemaException(String message, long fingerprint) {
    super(message);
    this.fingerprint = fingerprint;
  }

  /** The writer schema's Rabin fingerprint from the single-object header. */
  public long fingerprint() {
    return fingerprint;
  }
}
