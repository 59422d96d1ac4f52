package com.reservebtc.gateway.api;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactive (R2DBC) queries of the read API over the projected tables. Read-only; every query is a
 * single statement, so no transaction is opened.
 */
@Component
class ReadModel {

  /** Current balances of one address. */
  record BalanceState(
      long rbtcSats,
      Long rbtcBlockNumber,
      Instant rbtcBlockTimestamp,
      BigInteger wrbtc,
      BigInteger feeVaultWei) {

    static final BalanceState NONE =
        new BalanceState(0, null, null, BigInteger.ZERO, BigInteger.ZERO);
  }

  /** What the sync status endpoint needs about one address. */
  record SyncState(
      String lastOperationId,
      String lastStatus,
      Instant lastOperationAt,
      String lastTxHash,
      String lastDetail,
      Instant lastConfirmedAt,
      Instant lastSyncedBlockAt,
      boolean registered,
      Instant lastVerifiedAt,
      Long verifiedHeight,
      Long verifiedSats) {}

  /** The user's current emergency-burn risk, from the latest AT_RISK / CLEARED alert. */
  record RiskState(boolean atRisk, AlertJson alert) {}

  /** The yield service's latest state of a participant. */
  record ParticipantState(
      int participantType,
      boolean eligible,
      boolean registeredOnChain,
      long contributionSats,
      String accruedYield,
      Instant joinedAt,
      Instant updatedAt) {

    YieldParticipantJson json(Instant now) {
      return LoyaltyTiers.participant(
          participantType,
          eligible,
          registeredOnChain,
          contributionSats,
          accruedYield,
          joinedAt,
          updatedAt,
          now);
    }
  }

  private final DatabaseClient db;

  ReadModel(DatabaseClient db) {
    this.db = db;
  }

  Mono<BalanceState> balances(String address) {
    return db.sql(
            "SELECT rbtc_sats, rbtc_block_number, rbtc_block_timestamp, wrbtc, fee_vault_wei"
                + " FROM balances WHERE user_address = :user")
        .bind("user", address)
        .map(
            row ->
                new BalanceState(
                    row.get("rbtc_sats", Long.class),
                    row.get("rbtc_block_number", Long.class),
                    instant(row, "rbtc_block_timestamp"),
                    integer(row, "wrbtc"),
                    integer(row, "fee_vault_wei")))
        .one()
        .defaultIfEmpty(BalanceState.NONE);
  }

  /**
   * The listed transactions of {@code address} (as user or as counterparty), newest first. Each
   * side is read through its own index and limited before the merge, so the cost grows with {@code
   * offset + limit}, not with the address's history.
   */
  /**
   * A stored log's finality from its chain's heights (the latest block markers; {@code h} joined on
   * the chain): it follows the heights, down too after a reorg.
   */
  private static final String FINALITY =
      "CASE WHEN h.finalized_block >= t.block_number THEN 'FINALIZED'"
          + " WHEN h.confirmed_block >= t.block_number THEN 'CONFIRMED' ELSE 'PENDING' END";

  /**
   * The labels of a {@code transactions} row {@code t}: its finality, and for a sync the bound
   * Bitcoin address monitored for its user now.
   */
  private static final String LABELS =
      FINALITY
          + " AS finality, CASE WHEN t.tx_type IN ('MINT', 'BURN') THEN"
          + " (SELECT a.bitcoin_address FROM bitcoin_addresses a WHERE a.eth_address ="
          + " t.user_address AND a.is_monitoring ORDER BY a.monitoring_started_at DESC NULLS LAST,"
          + " a.id DESC LIMIT 1) END AS bitcoin_address";

  Flux<TransactionRow> transactions(String address, PageRequest page) {
    return db.sql(
            """
            SELECT t.*, """
                + LABELS
                + """

            FROM (
                (SELECT * FROM transactions WHERE listed AND user_address = :user
                 ORDER BY block_number DESC, log_index DESC LIMIT :window)
                UNION ALL
                (SELECT * FROM transactions WHERE listed AND counterparty = :user
                     AND user_address <> :user
                 ORDER BY block_number DESC, log_index DESC LIMIT :window)
            ) t
            LEFT JOIN chain_heights h ON h.chain_id = t.chain_id
            ORDER BY t.block_number DESC, t.log_index DESC
            LIMIT :limit OFFSET :offset
            """)
        .bind("user", address)
        .bind("window", (long) page.limit() + page.offset())
        .bind("limit", page.limit())
        .bind("offset", page.offset())
        .map(ReadModel::transaction)
        .all();
  }

  Flux<TransactionRow> emergencyBurns(String address) {
    return db.sql(
            "SELECT t.*, "
                + LABELS
                + " FROM transactions t LEFT JOIN chain_heights h ON h.chain_id = t.chain_id"
                + " WHERE t.user_address = :user AND t.tx_type = 'EMERGENCY_BURN'"
                + " ORDER BY t.block_number DESC, t.log_index DESC")
        .bind("user", address)
        .map(ReadModel::transaction)
        .all();
  }

  Flux<TransactionRow> emergencyTransactions(String address) {
    return db.sql(
            "SELECT t.*, "
                + LABELS
                + " FROM transactions t LEFT JOIN chain_heights h ON h.chain_id = t.chain_id"
                + " WHERE t.user_address = :user AND t.is_emergency_burn AND t.listed"
                + " ORDER BY t.block_number DESC, t.log_index DESC")
        .bind("user", address)
        .map(ReadModel::transaction)
        .all();
  }

  Mono<Long> systemEmergencyBurnCount() {
    return db.sql("SELECT count(*) AS n FROM transactions WHERE tx_type = 'EMERGENCY_BURN'")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  Flux<BitcoinAddressJson> bitcoinAddresses(String address) {
    return db.sql("SELECT * FROM bitcoin_addresses WHERE eth_address = :user ORDER BY id")
        .bind("user", address)
        .map(
            row ->
                new BitcoinAddressJson(
                    row.get("id", Long.class),
                    row.get("eth_address", String.class),
                    row.get("bitcoin_address", String.class),
                    row.get("network", String.class),
                    Timestamps.local(instant(row, "verified_at")),
                    Timestamps.local(instant(row, "monitoring_started_at")),
                    Boolean.TRUE.equals(row.get("is_monitoring", Boolean.class)),
                    Timestamps.local(instant(row, "created_at"))))
        .all();
  }

  Mono<SyncState> syncState(String address) {
    return db.sql(
            """
            SELECT s.last_operation_id, s.last_status, s.last_operation_at, s.last_tx_hash,
                s.last_detail, s.last_confirmed_at, b.rbtc_block_timestamp,
                (EXISTS (SELECT 1 FROM bitcoin_addresses a WHERE a.eth_address = :user)
                    OR b.rbtc_block_number IS NOT NULL) AS registered,
                v.verified_at, v.btc_height, v.verified_sats
            FROM (SELECT 1) one
            LEFT JOIN sync_status s ON s.user_address = :user
            LEFT JOIN balances b ON b.user_address = :user
            LEFT JOIN balance_verifications v ON v.user_address = :user
            """)
        .bind("user", address)
        .map(
            row ->
                new SyncState(
                    row.get("last_operation_id", String.class),
                    row.get("last_status", String.class),
                    instant(row, "last_operation_at"),
                    row.get("last_tx_hash", String.class),
                    row.get("last_detail", String.class),
                    instant(row, "last_confirmed_at"),
                    instant(row, "rbtc_block_timestamp"),
                    Boolean.TRUE.equals(row.get("registered", Boolean.class)),
                    instant(row, "verified_at"),
                    row.get("btc_height", Long.class),
                    row.get("verified_sats", Long.class)))
        .one();
  }

  Mono<Long> totalRbtcSats() {
    return db.sql("SELECT COALESCE(sum(rbtc_sats), 0) AS total FROM balances")
        .map(row -> integer(row, "total").longValueExact())
        .one();
  }

  Mono<ResponsesJson.ReserveProof> latestReserveProof() {
    return db.sql("SELECT * FROM proof_of_reserves ORDER BY created_at DESC, id DESC LIMIT 1")
        .map(
            row ->
                new ResponsesJson.ReserveProof(
                    row.get("btc_height", Long.class),
                    row.get("btc_tip_hash", String.class),
                    row.get("merkle_root", String.class),
                    row.get("leaf_count", Integer.class),
                    row.get("total_confirmed_sats", Long.class),
                    integer(row, "synth_total_supply").toString(),
                    row.get("backing_ratio", String.class),
                    Timestamps.zulu(instant(row, "created_at"))))
        .one();
  }

  Mono<Optional<RiskState>> risk(String address) {
    return db.sql("SELECT * FROM emergency_risk WHERE user_address = :user")
        .bind("user", address)
        .map(
            row -> {
              boolean atRisk = Boolean.TRUE.equals(row.get("at_risk", Boolean.class));
              return Optional.of(
                  new RiskState(
                      atRisk,
                      new AlertJson(
                          atRisk ? "AT_RISK" : "CLEARED",
                          row.get("message", String.class),
                          row.get("rbtc_balance_sats", Long.class),
                          string(integer(row, "fee_vault_balance_wei")),
                          string(integer(row, "required_fee_wei")),
                          row.get("event_id", String.class),
                          Timestamps.zulu(instant(row, "occurred_at")),
                          null)));
            })
        .one()
        .defaultIfEmpty(Optional.empty());
  }

  /** The user's latest alerts, newest first. */
  Mono<List<AlertJson>> recentAlerts(String address, int limit) {
    return db.sql(
            "SELECT * FROM emergency_alerts WHERE user_address = :user ORDER BY id DESC"
                + " LIMIT :limit")
        .bind("user", address)
        .bind("limit", limit)
        .map(
            row ->
                new AlertJson(
                    row.get("kind", String.class),
                    row.get("message", String.class),
                    row.get("rbtc_balance_sats", Long.class),
                    string(integer(row, "fee_vault_balance_wei")),
                    string(integer(row, "required_fee_wei")),
                    row.get("event_id", String.class),
                    Timestamps.zulu(instant(row, "occurred_at")),
                    row.get("pending_spent_sats", Long.class)))
        .all()
        .collectList();
  }

  Mono<Optional<ParticipantState>> participant(String address) {
    return db.sql("SELECT * FROM yield_scales_participants WHERE user_address = :user")
        .bind("user", address)
        .map(
            row ->
                Optional.of(
                    new ParticipantState(
                        row.get("participant_type", Integer.class),
                        Boolean.TRUE.equals(row.get("eligible", Boolean.class)),
                        Boolean.TRUE.equals(row.get("registered_on_chain", Boolean.class)),
                        row.get("contribution_sats", Long.class),
                        integer(row, "accrued_yield").toString(),
                        instant(row, "joined_at"),
                        instant(row, "updated_at"))))
        .one()
        .defaultIfEmpty(Optional.empty());
  }

  /** Counts of the participants registered on chain, tiers as of {@code now}. */
  Mono<ResponsesJson.YieldSystemStats> yieldStats(Instant now) {
    return db.sql(
            """
            SELECT count(*) AS total,
                count(*) FILTER (WHERE participant_type = 0) AS holders,
                count(*) FILTER (WHERE participant_type = 1) AS traders,
                count(*) FILTER (WHERE joined_at > :silver) AS bronze,
                count(*) FILTER (WHERE joined_at <= :silver AND joined_at > :gold) AS silver,
                count(*) FILTER (WHERE joined_at <= :gold) AS gold
            FROM yield_scales_participants WHERE registered_on_chain
            """)
        .bind(
            "silver",
            OffsetDateTime.ofInstant(now.minus(LoyaltyTiers.SILVER_AFTER), ZoneOffset.UTC))
        .bind("gold", OffsetDateTime.ofInstant(now.minus(LoyaltyTiers.GOLD_AFTER), ZoneOffset.UTC))
        .map(
            row ->
                new ResponsesJson.YieldSystemStats(
                    row.get("total", Long.class),
                    row.get("holders", Long.class),
                    row.get("traders", Long.class),
                    row.get("bronze", Long.class),
                    row.get("silver", Long.class),
                    row.get("gold", Long.class)))
        .one();
  }

  /**
   * The user's indexed disputes, newest first; the newest is {@code open}, the rest {@code
   * superseded} (the pool keeps one dispute per user).
   */
  Mono<List<DisputeJson>> disputes(String address) {
    return db.sql(
            "SELECT d.*, "
                + FINALITY.replace("t.block_number", "d.block_number")
                + " AS finality,"
                + " row_number() OVER (ORDER BY d.block_number DESC, d.log_index DESC) AS position"
                + " FROM balance_disputes d LEFT JOIN chain_heights h ON h.chain_id = d.chain_id"
                + " WHERE d.user_address = :user"
                + " ORDER BY d.block_number DESC, d.log_index DESC")
        .bind("user", address)
        .map(
            row ->
                new DisputeJson(
                    row.get("tx_hash", String.class),
                    row.get("block_number", Long.class),
                    Timestamps.local(instant(row, "block_timestamp")),
                    row.get("log_index", Integer.class),
                    row.get("chain_id", Long.class),
                    row.get("user_address", String.class),
                    integer(row, "reported_balance").toString(),
                    integer(row, "oracle_balance").toString(),
                    row.get("position", Long.class) == 1L ? "open" : "superseded",
                    row.get("finality", String.class)))
        .all()
        .collectList();
  }

  Mono<Long> disputeCount() {
    return db.sql("SELECT count(*) AS n FROM balance_disputes")
        .map(row -> row.get("n", Long.class))
        .one();
  }

  static TransactionRow transaction(Readable row) {
    return new TransactionRow(
        row.get("chain_id", Long.class),
        row.get("tx_hash", String.class),
        row.get("log_index", Integer.class),
        row.get("block_number", Long.class),
        row.get("block_hash", String.class),
        instant(row, "block_timestamp"),
        row.get("contract", String.class),
        row.get("event_name", String.class),
        row.get("token", String.class),
        row.get("user_address", String.class),
        row.get("counterparty", String.class),
        TxType.valueOf(row.get("tx_type", String.class)),
        integer(row, "amount"),
        integer(row, "delta"),
        integer(row, "fee_wei"),
        row.get("new_balance_sats", Long.class),
        row.get("bitcoin_address", String.class),
        TxFinality.valueOf(row.get("finality", String.class)),
        Boolean.TRUE.equals(row.get("is_emergency_burn", Boolean.class)),
        Boolean.TRUE.equals(row.get("listed", Boolean.class)),
        row.get("reason", String.class),
        row.get("source", String.class),
        row.get("spent_by", String.class));
  }

  private static Instant instant(Readable row, String column) {
    OffsetDateTime time = row.get(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  private static String string(BigInteger value) {
    return value == null ? null : value.toString();
  }

  private static BigInteger integer(Readable row, String column) {
    BigDecimal value = row.get(column, BigDecimal.class);
    return value == null ? null : value.toBigIntegerExact();
  }
}
