package com.reservebtc.gateway.reserves;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The signed attestations the gateway projected from {@code rbtc.reserves.attestations.v1}, as
 * received. Read-only single statements.
 */
@Component
class ReserveAttestations {

  private final DatabaseClient db;

  ReserveAttestations(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Signed attestations with a sequence below {@code before}, newest first, every statement
   * received for a sequence (two for one sequence = a replaced attestation).
   */
  Mono<List<AttestationJson>> history(long before, int limit) {
    return db.sql(
            """
            SELECT * FROM proof_of_reserves
            WHERE statement IS NOT NULL AND sequence < :before
              AND sequence >= (SELECT coalesce(min(s), 0) FROM (
                    SELECT DISTINCT sequence AS s FROM proof_of_reserves
                    WHERE statement IS NOT NULL AND sequence < :before
                    ORDER BY sequence DESC LIMIT :limit) newest)
            ORDER BY sequence DESC, id
            """)
        .bind("before", before)
        .bind("limit", limit)
        .map(ReserveAttestations::map)
        .all()
        .collectList();
  }

  /** The attestation(s) of one sequence, or the newest one when {@code sequence} is null. */
  Mono<List<AttestationJson>> attestation(Long sequence) {
    if (sequence == null) {
      return history(Long.MAX_VALUE, 1);
    }
    return db.sql(
            "SELECT * FROM proof_of_reserves WHERE statement IS NOT NULL AND sequence = :s"
                + " ORDER BY id")
        .bind("s", sequence)
        .map(ReserveAttestations::map)
        .all()
        .collectList();
  }

  private static AttestationJson map(Readable row) {
    BigDecimal supply = row.get("synth_total_supply", BigDecimal.class);
    BigDecimal difference = row.get("difference_sats", BigDecimal.class);
    int signum = difference == null ? 0 : difference.signum();
    return new AttestationJson(
        row.get("sequence", Long.class),
        row.get("encoding", String.class),
        row.get("statement", String.class),
        row.get("statement_hash", String.class),
        row.get("signature", String.class),
        row.get("signer", String.class),
        row.get("previous_hash", String.class),
        row.get("merkle_root", String.class),
        row.get("leaf_count", Integer.class),
        row.get("total_confirmed_sats", Long.class),
        row.get("btc_height", Long.class),
        row.get("btc_tip_hash", String.class),
        row.get("min_confirmations", Integer.class),
        supply == null ? null : supply.toBigInteger().toString(),
        row.get("synth_block_number", Long.class),
        difference == null ? null : difference.toBigInteger().toString(),
        row.get("backing_ratio", String.class),
        signum == 0 ? "MATCHED" : signum < 0 ? "SHORTFALL" : "SURPLUS",
        row.get("created_at", OffsetDateTime.class).toInstant().toString());
  }

  /**
   * One attestation as the oracle published it. {@code statement} and {@code signature} are what a
   * verifier checks (against the published signer address); the other fields repeat the statement's
   * figures for display.
   */
  record AttestationJson(
      long sequence,
      String encoding,
      String statement,
      String statementHash,
      String signature,
      String signer,
      String previousHash,
      String merkleRoot,
      int leafCount,
      long totalConfirmedSats,
      long btcHeight,
      String btcBlockHash,
      Integer minConfirmations,
      String synthTotalSupply,
      Long synthBlockNumber,
      String differenceSats,
      String backingRatio,
      String backing,
      String createdAt) {}
}
