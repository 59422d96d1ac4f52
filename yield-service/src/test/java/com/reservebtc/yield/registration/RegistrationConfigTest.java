package com.reservebtc.yield.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.reservebtc.txsender.TxSettings;
import com.reservebtc.yield.pool.PoolAccess;
import com.reservebtc.yield.pool.PoolChainConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Without RBTC_YIELD_POOL_ORACLE_KEY (a key shared with the oracle service would collide on its
 * nonces) the service must run off-chain only and say so in one startup line.
 */
class RegistrationConfigTest {

  private static final ChainProperties CHAIN =
      new ChainProperties("http://127.0.0.1:1", 31337, Duration.ofSeconds(1));

  private final Logger logger = (Logger) LoggerFactory.getLogger(RegistrationConfig.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Test
  void withoutAPoolOracleKeyRunsOffChainOnlyAndSaysSoOnce() {
    for (String key : new String[] {null, "", "   "}) {
      appender.list.clear();
      Registrations registrations =
          new RegistrationConfig().registrations(properties(key), PoolAccess.off(), null);
      assertThat(registrations.automatic()).isFalse();
      List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .contains(
              "OFF-CHAIN ONLY",
              "RBTC_YIELD_POOL_ORACLE_KEY",
              "joinAsBitcoinHolder is never sent",
              "registered_on_chain=false");
    }
  }

  @Test
  void aKeyWithoutAPoolAddressRefusesToStart() {
    String key = "0x" + "11".repeat(32);
    assertThatThrownBy(
            () ->
                new PoolChainConfig()
                    .poolAccess(
                        properties(key),
                        CHAIN,
                        new ContractsProperties(""),
                        TxSettings.unset(),
                        null,
                        null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RBTC_CONTRACTS_YIELD_POOL")
        .hasMessageNotContaining(key);
  }

  @Test
  void theKeyIsNeverPrinted() {
    String key = "0x" + "22".repeat(32);
    assertThat(properties(key).toString()).doesNotContain(key).contains("<redacted>");
  }

  private static YieldProperties properties(String key) {
    return new YieldProperties(key, Duration.ofSeconds(5), 5, Duration.ofMinutes(2));
  }
}
