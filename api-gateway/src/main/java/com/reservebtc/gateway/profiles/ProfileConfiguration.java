package com.reservebtc.gateway.profiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The profile keys, loaded once at start (a bad key stops the start), and the cipher. */
@Configuration(proxyBeanMethods = false)
class ProfileConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ProfileConfiguration.class);

  @Bean
  ProfileCipher profileCipher(ProfileProperties properties) {
    ProfileKeys keys = ProfileKeys.load(properties);
    if (keys.currentKeyId().isEmpty()) {
      log.warn(
          "no profile encryption key configured: operator profile endpoints answer 503"
              + " (RBTC_GATEWAY_PROFILES_KEYS_DIR, RBTC_GATEWAY_PROFILES_CURRENT_ID)");
    } else {
      log.info(
          "profile encryption keys {} loaded, current '{}'",
          keys.keyIds(),
          keys.currentKeyId().get());
    }
    return new ProfileCipher(keys);
  }
}
