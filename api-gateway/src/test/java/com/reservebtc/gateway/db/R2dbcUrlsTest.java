package com.reservebtc.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;

class R2dbcUrlsTest {

  @Test
  void carriesHostPortDatabaseAndSchema() {
    R2dbcUrls.Derived derived =
        R2dbcUrls.fromJdbc("jdbc:postgresql://localhost:15432/postgres?currentSchema=gateway");
    assertThat(derived.url())
        .isEqualTo("r2dbc:postgresql://localhost:15432/postgres?currentSchema=gateway");
    assertThat(derived.dropped()).isEmpty();
    ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(derived.url());
    assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo("localhost");
    assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(15432);
    assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("postgres");
  }

  @Test
  void keepsSslModeAndReportsParametersWithoutEquivalent() {
    R2dbcUrls.Derived derived =
        R2dbcUrls.fromJdbc(
            "jdbc:postgresql://db.internal/rbtc?sslmode=verify-full&currentSchema=gateway"
                + "&prepareThreshold=0&user=x");
    assertThat(derived.url())
        .isEqualTo("r2dbc:postgresql://db.internal/rbtc?sslmode=verify-full&currentSchema=gateway");
    assertThat(derived.dropped()).containsExactly("prepareThreshold", "user");
  }

  @Test
  void refusesWhatItCannotTranslate() {
    assertThatThrownBy(() -> R2dbcUrls.fromJdbc("jdbc:mysql://localhost/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spring.r2dbc.url");
    assertThatThrownBy(() -> R2dbcUrls.fromJdbc("jdbc:postgresql://a:5432,b:5432/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one host");
    assertThatThrownBy(() -> R2dbcUrls.fromJdbc(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
