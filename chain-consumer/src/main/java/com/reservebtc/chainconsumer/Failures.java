package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.serde.UnknownSchemaException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Sorts failures into transient — retried without limit, never dead-lettered: what a later try can
 * succeed at — and deterministic — the record itself cannot be applied, and is dead-lettered.
 *
 * <p>Transient: the database or broker unreachable or timing out, a connection lost, a
 * serialization failure or deadlock (SQL states of class 08, 40001, 40P01, 53xxx, 57P0x), another
 * consumer advancing the same partition during a rebalance, and a record written with a schema this
 * service does not know yet (it waits for its own upgrade; see {@link UnknownSchemaException}). An
 * {@link SQLException} without SQL state is transient too: the database states every error about
 * the data; one without a state comes from the pool or driver about the connection itself (the
 * "Connection is closed" of a pooled connection the database dropped). Everything else is
 * deterministic.
 */
public final class Failures {

  private static final Set<String> TRANSIENT_SQL_STATES = Set.of("40001", "40P01");

  private Failures() {}

  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TransientDataAccessException
          || t instanceof RecoverableDataAccessException
          || t instanceof DataAccessResourceFailureException
          || t instanceof ConcurrencyFailureException
          || t instanceof QueryTimeoutException
          || t instanceof CannotCreateTransactionException
          || t instanceof SQLTransientException
          || t instanceof SQLRecoverableException
          || t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof RetriableException
          || t instanceof UnknownSchemaException
          || t instanceof ConsumerPositions.PositionConflictException
          || t instanceof TransientFailure) {
        return true;
      }
      if (t instanceof SQLException sql
          && (sql.getSQLState() == null || transientState(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean transientState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.startsWith("53")
            || state.startsWith("57P")
            || TRANSIENT_SQL_STATES.contains(state));
  }

  /** A failure a caller knows to be transient (e.g. the dead-letter topic did not acknowledge). */
  public static final class TransientFailure extends RuntimeException {
    public TransientFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
