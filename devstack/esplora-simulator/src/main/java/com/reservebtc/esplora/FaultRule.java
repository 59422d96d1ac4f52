package com.reservebtc.esplora;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Makes Esplora GET requests misbehave so clients' error handling can be tested. Dev controls under
 * {@code /dev/} are never affected.
 *
 * @param mode what to do instead of (or before) answering
 * @param delayMs how long to hold the response; for {@link FaultMode#TIMEOUT} this is the whole
 *     point, for the other modes it delays the faulty answer
 * @param pathPrefix only requests whose path starts with this are affected; {@code null} = all
 * @param remaining how many matching requests are affected before the rule clears itself; {@code
 *     null} = until replaced
 */
@JsonPropertyOrder({"mode", "delayMs", "pathPrefix", "remaining"})
public record FaultRule(FaultMode mode, long delayMs, String pathPrefix, Long remaining) {

  /** Longest delay accepted, so a forgotten fault cannot hold connections for hours. */
  public static final long MAX_DELAY_MS = 600_000;

  /** Delay used for {@link FaultMode#TIMEOUT} when none is given. */
  public static final long DEFAULT_TIMEOUT_DELAY_MS = 30_000;

  public FaultRule {
    if (mode == null) {
      throw new RejectedRequestException("mode is required");
    }
    if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
      throw new RejectedRequestException("delayMs must be 0.." + MAX_DELAY_MS + ", was " + delayMs);
    }
    if (mode == FaultMode.TIMEOUT && delayMs == 0) {
      throw new RejectedRequestException("mode timeout needs a delayMs above 0");
    }
    if (pathPrefix != null && !pathPrefix.startsWith("/")) {
      throw new RejectedRequestException(
          "pathPrefix must start with '/', was '" + pathPrefix + "'");
    }
    if (remaining != null && remaining < 1) {
      throw new RejectedRequestException("remaining must be at least 1, was " + remaining);
    }
  }

  public static FaultRule none() {
    return new FaultRule(FaultMode.NONE, 0, null, null);
  }

  public static FaultRule of(FaultMode mode) {
    return new FaultRule(
        mode, mode == FaultMode.TIMEOUT ? DEFAULT_TIMEOUT_DELAY_MS : 0, null, null);
  }

  public FaultRule withDelayMs(long newDelayMs) {
    return new FaultRule(mode, newDelayMs, pathPrefix, remaining);
  }

  public FaultRule withPathPrefix(String newPathPrefix) {
    return new FaultRule(mode, delayMs, newPathPrefix, remaining);
  }

  public FaultRule withRemaining(Long newRemaining) {
    return new FaultRule(mode, delayMs, pathPrefix, newRemaining);
  }

  boolean matches(String path) {
    return pathPrefix == null || path.startsWith(pathPrefix);
  }
}
