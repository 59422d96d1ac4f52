package com.reservebtc.gateway.db;

import com.zaxxer.hikari.HikariDataSource;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

/**
 * The gateway's two connections to its one database: JDBC (Flyway and the projections, which run on
 * blocking Kafka listener threads) and R2DBC (the reactive read API).
 *
 * <p>Spring Boot does not create a JDBC DataSource once an R2DBC ConnectionFactory exists, so the
 * DataSource is declared here from {@code spring.datasource.*}. The R2DBC connection uses {@code
 * spring.r2dbc.url} when set, otherwise it is derived from {@code spring.datasource.url} ({@link
 * R2dbcUrls}); {@code spring.r2dbc.username/password} default to the datasource's.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  @Bean
  @ConfigurationProperties("spring.datasource")
  DataSourceProperties dataSourceProperties() {
    return new DataSourceProperties();
  }

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DataSourceProperties properties) {
    return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
  }

  @Bean
  JdbcClient jdbcClient(DataSource dataSource) {
    return JdbcClient.create(dataSource);
  }

  /** The transaction manager of the projections; the read side never opens transactions. */
  @Bean
  @Primary
  DataSourceTransactionManager transactionManager(DataSource dataSource) {
    return new DataSourceTransactionManager(dataSource);
  }

  @Bean
  TransactionTemplate transactionTemplate(DataSourceTransactionManager transactionManager) {
    return new TransactionTemplate(transactionManager);
  }

  @Bean
  R2dbcConnectionDetails r2dbcConnectionDetails(
      R2dbcProperties r2dbc, DataSourceProperties dataSource) {
    String url = r2dbc.getUrl();
    if (!StringUtils.hasText(url)) {
      R2dbcUrls.Derived derived = R2dbcUrls.fromJdbc(dataSource.determineUrl());
      url = derived.url();
      log.info("R2DBC url derived from spring.datasource.url: {}", url);
      if (!derived.dropped().isEmpty()) {
        log.warn(
            "JDBC url parameters {} have no R2DBC equivalent and are not used by the read side;"
                + " set spring.r2dbc.url to configure them",
            derived.dropped());
      }
    }
    ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(url).mutate();
    String username =
        StringUtils.hasText(r2dbc.getUsername())
            ? r2dbc.getUsername()
            : dataSource.determineUsername();
    String password =
        StringUtils.hasText(r2dbc.getPassword())
            ? r2dbc.getPassword()
            : dataSource.determinePassword();
    if (StringUtils.hasText(username)) {
      options.option(ConnectionFactoryOptions.USER, username);
    }
    if (StringUtils.hasText(password)) {
      options.option(ConnectionFactoryOptions.PASSWORD, password);
    }
    ConnectionFactoryOptions built = options.build();
    return () -> built;
  }

  @Bean
  DatabaseClient databaseClient(ConnectionFactory connectionFactory) {
    return DatabaseClient.create(connectionFactory);
  }
}
