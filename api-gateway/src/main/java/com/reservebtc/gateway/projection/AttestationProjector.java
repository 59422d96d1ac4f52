package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.avro.ReserveAttestation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Stores the oracle's proof-of-reserves attestations in {@code proof_of_reserves}. */
@Component
class AttestationProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final CommittedChanges changes;

  AttestationProjector(Inbox inbox, JdbcClient jdbc, CommittedChanges changes) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Outcome project(String topic, ReserveAttestation a) {
    BigDecimal supply;
    try {
      supply = new BigDecimal(new java.math.BigInteger(a.getSynthTotalSupply()));
    } catch (NumberFormatException | NullPointerException e) {
      throw new InvalidRecordException(
          "attestation synthTotalSupply is not a decimal integer: " + a.getSynthTotalSupply());
    }
    String id =
        "attestation:" + a.getBtcTipHash() + ":" + a.getMerkleRoot() + ":" + a.getCreatedAtMillis();
    if (!inbox.claim(id, topic)) {
      return Outcome.DUPLICATE;
    }
    jdbc.sql(
            """
            INSERT INTO proof_of_reserves (btc_height, btc_tip_hash, merkle_root, leaf_count,
                total_confirmed_sats, synth_total_supply, backing_ratio, created_at)
            VALUES (:height, :tip, :root, :leaves, :sats, :supply, :ratio, :created)
            ON CONFLICT ON CONSTRAINT proof_of_reserves_unique DO NOTHING
            """)
        .param("height", a.getBtcHeight())
        .param("tip", a.getBtcTipHash())
        .param("root", a.getMerkleRoot())
        .param("leaves", a.getLeafCount())
        .param("sats", a.getTotalConfirmedSats())
        .param("supply", supply)
        .param("ratio", a.getBackingRatio())
        .param(
            "created",
            OffsetDateTime.ofInstant(Instant.ofEpochMilli(a.getCreatedAtMillis()), ZoneOffset.UTC))
        .update();
    changes.afterCommit(List.of());
    return Outcome.APPLIED;
  }
}
