package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.avro.ReserveAttestation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stores the oracle's proof-of-reserves attestations in {@code proof_of_reserves}. A signed
 * attestation (rbtc-por-v2) is kept with its statement, hash, signature and signer exactly as
 * received and identified by its statement hash, so every statement ever published stays listed — a
 * sequence number signed twice shows up twice.
 */
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
    BigDecimal supply = decimal(a.getSynthTotalSupply(), "synthTotalSupply");
    if (supply == null) {
      throw new InvalidRecordException("attestation synthTotalSupply is missing");
    }
    if (a.getStatementHash() != null
        && (a.getStatement() == null || a.getSignature() == null || a.getSequence() == null)) {
      throw new InvalidRecordException(
          "a signed attestation carries its statement, signature and sequence");
    }
    boolean signed = a.getStatementHash() != null;
    String id =
        signed
            ? "attestation:" + a.getStatementHash()
            : "attestation:"
                + a.getBtcTipHash()
                + ":"
                + a.getMerkleRoot()
                + ":"
                + a.getCreatedAtMillis();
    if (!inbox.claim(id, topic)) {
      return Outcome.DUPLICATE;
    }
    jdbc.sql(
            """
            INSERT INTO proof_of_reserves (btc_height, btc_tip_hash, merkle_root, leaf_count,
                total_confirmed_sats, synth_total_supply, backing_ratio, created_at, encoding,
                sequence, previous_hash, statement, statement_hash, signature, signer,
                min_confirmations, synth_block_number, difference_sats)
            VALUES (:height, :tip, :root, :leaves, :sats, :supply, :ratio, :created, :encoding,
                :sequence, :previous, :statement, :statementHash, :signature, :signer,
                :minConfirmations, :synthBlock, :difference)
            ON CONFLICT DO NOTHING
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
        .param("encoding", a.getEncoding())
        .param("sequence", a.getSequence())
        .param("previous", a.getPreviousHash())
        .param("statement", a.getStatement())
        .param("statementHash", a.getStatementHash())
        .param("signature", a.getSignature())
        .param("signer", a.getSigner())
        .param("minConfirmations", a.getMinConfirmations())
        .param("synthBlock", a.getSynthBlockNumber())
        .param("difference", decimal(a.getDifferenceSats(), "differenceSats"))
        .update();
    changes.afterCommit(List.of());
    return Outcome.APPLIED;
  }

  private static BigDecimal decimal(String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return new BigDecimal(new java.math.BigInteger(value));
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(
          "attestation " + field + " is not a decimal integer: " + value);
    }
  }
}
