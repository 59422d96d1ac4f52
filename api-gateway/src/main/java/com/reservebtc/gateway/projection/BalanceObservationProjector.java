package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.avro.BtcBalanceObservation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps when the oracle last verified each user's balance ({@code balance_verifications}), from its
 * observations: {@code verified} means every bound address was observed by a quorum of sources as
 * of one block and the on-chain balance equals their sum, whether or not a sync was needed.
 *
 * <p>Guarantees: idempotent and order-tolerant without an inbox: a row only moves forward in
 * observation time, so a redelivered or older record changes nothing. Records that are not verified
 * change nothing (the last verification stands).
 */
@Component
class BalanceObservationProjector {

  private final JdbcClient jdbc;

  BalanceObservationProjector(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Outcome project(BtcBalanceObservation observation) {
    String user = ChainEventMapper.address(observation.getEthAddress(), "ethAddress");
    if (!observation.getVerified()) {
      return Outcome.NO_EFFECT;
    }
    if (observation.getConfirmedSats() == null
        || observation.getConfirmedSats() < 0
        || observation.getTipHeight() < 0) {
      throw new InvalidRecordException(
          "verified observation of " + user + " without a balance or block");
    }
    int updated =
        jdbc.sql(
                """
                INSERT INTO balance_verifications AS v (user_address, verified_at, btc_height,
                    btc_block_hash, verified_sats)
                VALUES (:user, :at, :height, :hash, :sats)
                ON CONFLICT (user_address) DO UPDATE SET
                    verified_at = EXCLUDED.verified_at, btc_height = EXCLUDED.btc_height,
                    btc_block_hash = EXCLUDED.btc_block_hash,
                    verified_sats = EXCLUDED.verified_sats
                WHERE v.verified_at < EXCLUDED.verified_at
                """)
            .param("user", user)
            .param(
                "at",
                OffsetDateTime.ofInstant(
                    Instant.ofEpochMilli(observation.getObservedAtMillis()), ZoneOffset.UTC))
            .param("height", observation.getTipHeight())
            .param("hash", observation.getTipHash())
            .param("sats", observation.getConfirmedSats())
            .update();
    return updated > 0 ? Outcome.APPLIED : Outcome.DUPLICATE;
  }
}
