package com.reservebtc.yield.registration;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of automatic pool registration.
 *
 * @param poolOracleKey hex private key of the pool's oracle address; empty means off-chain only.
 *     Never logged: {@link #toString()} redacts it.
 * @param registrationInterval how often queued registrations are sent
 * @param registrationMaxAttempts attempts (transport errors, timeouts) before a registration is
 *     marked FAILED; a reverted transaction fails at once
 * @param registrationStaleAfter a registration still SUBMITTING after this long (the service died
 *     mid-send) is tried again
 */
@ConfigurationProperties("rbtc.yield")
public record YieldProperties(
    String poolOracleKey,
    @DefaultValue("5s") Duration registrationInterval,
    @DefaultValue("5") int registrationMaxAttempts,
    @DefaultValue("2m") Duration registrationStaleAfter) {

  public boolean onChain() {
    return poolOracleKey != null && !poolOracleKey.isBlank();
  }

  @Override
  public String toString() {
    return "YieldProperties[poolOracleKey="
        + (onChain() ? "<redacted>" : "<none>")
        + ", registrationInterval="
        + registrationInterval
        + ", registrationMaxAttempts="
        + registrationMaxAttempts
        + ", registrationStaleAfter="
        + registrationStaleAfter
        + "]";
  }
}
