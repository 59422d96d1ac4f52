package com.reservebtc.yield.participants;

import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.finality.BlockFinality;
import com.reservebtc.yield.finality.FinalityUpgrade;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code yield_scales_participants} table. */
@Repository
class ParticipantRepository implements FinalityUpgrade {

  private static final String COLUMNS =
      """
      user_address, participant_type, rbtc_balance_sats, contribution_sats, registered_on_chain,
      registration_status, joined_at, last_accrual_at, accrued_yield, last_event_id, chain_id,
      state_block_number, finality
      """;

  private final JdbcClient jdbc;

  ParticipantRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Reads and locks the row until the caller's transaction ends. */
  @Transactional(propagation = Propagation.MANDATORY)
  Optional<Participant> lock(String user) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from yield_scales_participants where user_address = ? for update")
        .param(user)
        .query(ParticipantRepository::map)
        .optional();
  }

  Optional<Participant> find(String user) {
    return jdbc.sql("select " + COLUMNS + " from yield_scales_participants where user_address = ?")
        .param(user)
        .query(ParticipantRepository::map)
        .optional();
  }

  Optional<RegistrationDetails> registrationOf(String user) {
    return jdbc.sql(
            """
            select registration_attempts, registration_tx_hash, registration_error
            from yield_scales_participants where user_address = ?
            """)
        .param(user)
        .query(RegistrationDetails.class)
        .optional();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  void insert(Participant p) {
    jdbc.sql(
            """
            insert into yield_scales_participants (user_address, participant_type,
              rbtc_balance_sats, contribution_sats, eligible, registered_on_chain,
              registration_status, joined_at, last_accrual_at, accrued_yield, last_event_id,
              chain_id, state_block_number, finality)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            p.user(),
            p.participantType(),
            p.rbtcBalanceSats(),
            p.contributionSats(),
            p.eligible(),
            p.registeredOnChain(),
            p.registrationStatus().name(),
            timestamp(p.joinedAt()),
            timestamp(p.lastAccrualAt()),
            new BigDecimal(p.accruedYield()),
            p.lastEventId(),
            p.state() == null ? null : p.state().chainId(),
            p.state() == null ? null : p.state().blockNumber(),
            p.state() == null ? null : p.state().finality().name())
        .update();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  void update(Participant p) {
    jdbc.sql(
            """
            update yield_scales_participants set participant_type = ?, rbtc_balance_sats = ?,
              contribution_sats = ?, eligible = ?, registered_on_chain = ?,
              registration_status = ?, joined_at = ?, last_accrual_at = ?, accrued_yield = ?,
              last_event_id = ?, chain_id = ?, state_block_number = ?, finality = ?,
              updated_at = now()
            where user_address = ?
            """)
        .params(
            p.participantType(),
            p.rbtcBalanceSats(),
            p.contributionSats(),
            p.eligible(),
            p.registeredOnChain(),
            p.registrationStatus().name(),
            timestamp(p.joinedAt()),
            timestamp(p.lastAccrualAt()),
            new BigDecimal(p.accruedYield()),
            p.lastEventId(),
            p.state() == null ? null : p.state().chainId(),
            p.state() == null ? null : p.state().blockNumber(),
            p.state() == null ? null : p.state().finality().name(),
            p.user())
        .update();
  }

  /** A finality upgrade is not a change of the participant: {@code updated_at} stays. */
  @Override
  public int upgradeFinality(long chainId, long blockNumber, Finality target) {
    return jdbc.sql(
            """
            update yield_scales_participants set finality = :target
            where chain_id = :chain and state_block_number <= :block and finality in (:lower)
            """)
        .param("target", target.name())
        .param("chain", chainId)
        .param("block", blockNumber)
        .param("lower", lower(target))
        .update();
  }

  /** The finalities below {@code target}. */
  static List<String> lower(Finality target) {
    return target == Finality.FINALIZED ? List.of("PENDING", "CONFIRMED") : List.of("PENDING");
  }

  static Timestamp timestamp(long epochSeconds) {
    return Timestamp.from(Instant.ofEpochSecond(epochSeconds));
  }

  private static Participant map(ResultSet rs, int row) throws SQLException {
    return new Participant(
        rs.getString("user_address"),
        rs.getInt("participant_type"),
        rs.getLong("rbtc_balance_sats"),
        rs.getLong("contribution_sats"),
        rs.getBoolean("registered_on_chain"),
        RegistrationStatus.valueOf(rs.getString("registration_status")),
        rs.getTimestamp("joined_at").toInstant().getEpochSecond(),
        rs.getTimestamp("last_accrual_at").toInstant().getEpochSecond(),
        rs.getBigDecimal("accrued_yield").toBigIntegerExact(),
        rs.getString("last_event_id"),
        rs.getString("finality") == null
            ? null
            : new BlockFinality(
                rs.getLong("chain_id"),
                rs.getLong("state_block_number"),
                Finality.valueOf(rs.getString("finality"))));
  }

  record RegistrationDetails(
      int registrationAttempts, String registrationTxHash, String registrationError) {}
}
