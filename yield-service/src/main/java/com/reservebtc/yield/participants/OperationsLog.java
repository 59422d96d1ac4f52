package com.reservebtc.yield.participants;

import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.finality.FinalityUpgrade;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code yield_operations_log} audit trail. A change row keeps the participant as it was before
 * the event so a retraction can restore it. Every row written here stems from a chain log and
 * carries its {@link Origin}; block markers raise the rows' finality.
 */
@Repository
class OperationsLog implements FinalityUpgrade {

  private final JdbcClient jdbc;

  OperationsLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A change caused by {@code eventId}: the participant before and after it. */
  @Transactional(propagation = Propagation.MANDATORY)
  void change(
      String operation,
      String eventId,
      Participant before,
      Participant after,
      BigInteger amount,
      String details,
      long at,
      Origin origin) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, event_id,
              balance_before, balance_after, contribution_before, contribution_after,
              accrued_before, accrued_after, last_accrual_before, joined_at_before, type_before,
              registered_before, registration_status_before, last_event_id_before, amount,
              details, occurred_at, chain_id, block_number, finality)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            after.user(),
            operation,
            eventId,
            before.rbtcBalanceSats(),
            after.rbtcBalanceSats(),
            before.contributionSats(),
            after.contributionSats(),
            new BigDecimal(before.accruedYield()),
            new BigDecimal(after.accruedYield()),
            ParticipantRepository.timestamp(before.lastAccrualAt()),
            ParticipantRepository.timestamp(before.joinedAt()),
            before.participantType(),
            before.registeredOnChain(),
            before.registrationStatus().name(),
            before.lastEventId(),
            amount == null ? null : new BigDecimal(amount),
            details,
            ParticipantRepository.timestamp(at),
            origin.chainId(),
            origin.blockNumber(),
            origin.finalityName())
        .update();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  void accrual(String user, String eventId, Position.Accrual accrual, long at, Origin origin) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, event_id, contribution_before,
              contribution_after, accrued_before, accrued_after, rate_bps, multiplier_pct,
              elapsed_seconds, amount, occurred_at, chain_id, block_number, finality)
            values (?, 'ACCRUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            user,
            eventId,
            accrual.after().baseUnits(),
            accrual.after().baseUnits(),
            new BigDecimal(accrual.after().accruedYield().subtract(accrual.owed())),
            new BigDecimal(accrual.after().accruedYield()),
            new BigDecimal(accrual.rateBps()),
            accrual.multiplierPct(),
            accrual.elapsedSeconds(),
            new BigDecimal(accrual.owed()),
            ParticipantRepository.timestamp(at),
            origin.chainId(),
            origin.blockNumber(),
            origin.finalityName())
        .update();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  void note(
      String user,
      String operation,
      String eventId,
      BigInteger amount,
      String details,
      long at,
      Origin origin) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, event_id, amount, details,
              occurred_at, chain_id, block_number, finality)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            user,
            operation,
            eventId,
            amount == null ? null : new BigDecimal(amount),
            details,
            ParticipantRepository.timestamp(at),
            origin.chainId(),
            origin.blockNumber(),
            origin.finalityName())
        .update();
  }

  @Override
  public int upgradeFinality(long chainId, long blockNumber, Finality target) {
    return jdbc.sql(
            """
            update yield_operations_log set finality = :target
            where chain_id = :chain and block_number <= :block and finality in (:lower)
            """)
        .param("target", target.name())
        .param("chain", chainId)
        .param("block", blockNumber)
        .param("lower", ParticipantRepository.lower(target))
        .update();
  }

  /** The latest change row caused by {@code eventId}, i.e. the one a retraction must undo. */
  Optional<LoggedChange> changeCausedBy(String eventId) {
    return jdbc.sql(
            """
            select operation, balance_before, balance_after, contribution_before, contribution_after,
              accrued_before, last_accrual_before, joined_at_before, type_before, registered_before,
              registration_status_before, last_event_id_before
            from yield_operations_log
            where event_id = ? and balance_before is not null and operation <> 'RETRACTED'
            order by id desc limit 1
            """)
        .param(eventId)
        .query(OperationsLog::mapChange)
        .optional();
  }

  private static LoggedChange mapChange(ResultSet rs, int row) throws SQLException {
    return new LoggedChange(
        rs.getString("operation"),
        rs.getLong("balance_before"),
        rs.getLong("balance_after"),
        rs.getLong("contribution_before"),
        rs.getLong("contribution_after"),
        rs.getBigDecimal("accrued_before").toBigIntegerExact(),
        epochSeconds(rs.getTimestamp("last_accrual_before")),
        epochSeconds(rs.getTimestamp("joined_at_before")),
        rs.getInt("type_before"),
        rs.getBoolean("registered_before"),
        RegistrationStatus.valueOf(rs.getString("registration_status_before")),
        rs.getString("last_event_id_before"));
  }

  private static long epochSeconds(Timestamp timestamp) {
    return timestamp.toInstant().getEpochSecond();
  }

  /** A logged change with the participant's state before it. */
  record LoggedChange(
      String operation,
      long balanceBefore,
      long balanceAfter,
      long contributionBefore,
      long contributionAfter,
      BigInteger accruedBefore,
      long lastAccrualBefore,
      long joinedAtBefore,
      int typeBefore,
      boolean registeredBefore,
      RegistrationStatus statusBefore,
      String lastEventIdBefore) {

    /**
     * The participant exactly as before the change (only valid if nothing changed it since), except
     * its finality position, which never moves down.
     */
    Participant restore(Participant now) {
      return new Participant(
          now.user(),
          typeBefore,
          balanceBefore,
          contributionBefore,
          registeredBefore,
          statusBefore,
          joinedAtBefore,
          lastAccrualBefore,
          accruedBefore,
          lastEventIdBefore,
          now.state());
    }

    /** Reverses only the balance and contribution steps of the change, keeping later changes. */
    Participant reverse(Participant now) {
      Participant reversed =
          now.withBalance(now.rbtcBalanceSats() - (balanceAfter - balanceBefore))
              .withContribution(now.contributionSats() - (contributionAfter - contributionBefore));
      if ("REGISTERED".equals(operation) && !registeredBefore) {
        reversed = reversed.withRegistration(statusBefore);
      }
      return reversed;
    }
  }
}
