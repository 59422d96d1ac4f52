package com.reservebtc.emergency.risk;

import java.math.BigInteger;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deployed FeePolicy's values this service needs.
 *
 * @param fixedWei FeePolicy {@code fixedWei}: the fee of every sync, and the whole fee of a
 *     downward one
 */
@ConfigurationProperties("rbtc.fees")
public record FeeProperties(@DefaultValue("1000000000000000") BigInteger fixedWei) {

  public FeeProperties {
    if (fixedWei.signum() < 0) {
      throw new IllegalArgumentException("rbtc.fees.fixed-wei must not be negative: " + fixedWei);
    }
  }
}
