package com.reservebtc.yield.participants;

import com.reservebtc.chainconsumer.Heights;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of a participant for operators: its row, its registration, its chain's heights. */
@Repository
class ParticipantRepository {

  private final JdbcClient jdbc;

  ParticipantRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Participant> find(String user) {
    return Optional.ofNullable(new LedgerRepository(jdbc).participants(List.of(user)).get(user));
  }

  /** The participant's row of {@code pool_registrations}, if it was ever queued. */
  Optional<RegistrationDetails> registrationOf(String user) {
    return jdbc.sql(
            """
            select status, attempts as registration_attempts, tx_hash as registration_tx_hash,
              error as registration_error
            from pool_registrations where user_address = ?
            """)
        .param(user)
        .query(RegistrationDetails.class)
        .optional();
  }

  /** The chain's heights as the block markers state them now (chain-consumer's chain_heights). */
  Heights heightsOf(long chainId) {
    return jdbc.sql(
            """
            select chain_id, head_block, confirmed_block, finalized_block from chain_heights
            where chain_id = ?
            """)
        .param(chainId)
        .query(
            (rs, n) ->
                new Heights(
                    rs.getLong(1),
                    (Long) rs.getObject(2),
                    (Long) rs.getObject(3),
                    (Long) rs.getObject(4)))
        .optional()
        .orElse(Heights.unknown(chainId));
  }

  /** The chain's rBTC-SYNTH supply and peak after its last mint or burn in the ledger. */
  long[] supplyOf(long chainId) {
    return jdbc.sql(
            """
            select supply_after, peak_after from yield_ledger
            where chain_id = ? and kind in ('MINT', 'BURN') and supply_after is not null
            order by block_number desc, log_index desc, event_id desc limit 1
            """)
        .param(chainId)
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .optional()
        .orElse(new long[] {0, 0});
  }

  record RegistrationDetails(
      String status,
      int registrationAttempts,
      String registrationTxHash,
      String registrationError) {

    static final RegistrationDetails NONE = new RegistrationDetails(null, 0, null, null);
  }
}
