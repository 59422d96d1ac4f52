package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.bitcoin.BitcoinProperties;
import com.reservebtc.oracle.ownership.Bip137Verifier;
import com.reservebtc.oracle.ownership.Bip322SimpleVerifier;
import com.reservebtc.oracle.ownership.OwnershipVerifier;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ownership verifier with every supported signature scheme. BIP-137 comes first: it claims only
 * 65-byte compact signatures, while BIP-322 claims any witness stack.
 */
@Configuration(proxyBeanMethods = false)
class OwnershipConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  OwnershipVerifier ownershipVerifier(BitcoinProperties bitcoin, Clock clock) {
    return new OwnershipVerifier(
        bitcoin.network(), List.of(new Bip137Verifier(), new Bip322SimpleVerifier()), clock);
  }
}
