package com.reservebtc.chainconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.serde.UnknownSchemaException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;

class FailuresTest {

  @Test
  void aConnectionTheDatabaseDroppedIsTransient() {
    assertThat(Failures.isTransient(new SQLException("An I/O error occurred", "08006"))).isTrue();
  }

  @Test
  void theClosedConnectionAPoolHandsBackAfterTheDatabaseDroppedItIsTransient() {
    // HikariCP's proxy of a connection marked broken throws this, with no SQL state, on every call
    // after the database went away; Spring wraps it as uncategorized.
    SQLException closed = new SQLException("Connection is closed");

    assertThat(Failures.isTransient(closed)).isTrue();
    assertThat(
            Failures.isTransient(
                new UncategorizedSQLException("applying a batch", "select 1", closed)))
        .isTrue();
  }

  @Test
  void anErrorTheDatabaseRaisedAboutTheDataIsNotTransient() {
    assertThat(Failures.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
    assertThat(Failures.isTransient(new SQLException("numeric value out of range", "22003")))
        .isFalse();
    assertThat(Failures.isTransient(new IllegalArgumentException("bad amount"))).isFalse();
  }

  @Test
  void aRecordOfASchemaThisServiceDoesNotKnowYetIsTransientNotABadRecord() {
    assertThat(
            Failures.isTransient(
                new UnknownSchemaException("written with an unknown schema", 0x1234L)))
        .isTrue();
    assertThat(Failures.isTransient(new MalformedEventException("amount is not a number")))
        .isFalse();
  }
}
