package com.reservebtc.emergency.risk;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.ChainValues;
import com.reservebtc.chainconsumer.MalformedEventException;
import com.reservebtc.chainconsumer.Outbox;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each user's rBTC balance (the newBalance of their latest Synced log) and fee-vault balance (the
 * sum of Deposited − Spent − Withdrawn), and the at-risk state they imply: AT_RISK is announced
 * when a user enters it, CLEARED when they leave it, nothing while it stays.
 *
 * <p>Guarantees: the applied logs are kept ({@code synced_events}, {@code fee_vault_events}) and
 * the balances recomputed from them for the users a batch touched, under those users' row locks
 * (taken in address order, so concurrent batches never deadlock). So the balances and the state are
 * a function of the set of applied logs: the same whatever order partitions were consumed in, on
 * whichever thread or replica, and a retraction simply removes its log. A batch announces at most
 * one transition per user (the net change over the batch). Balances are only as complete as the
 * topics since the indexer's start block; the service does not read the chain itself.
 */
@Service
public class RiskBook {

  private static final Logger log = LoggerFactory.getLogger(RiskBook.class);

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final RiskRule rule;

  RiskBook(JdbcClient jdbc, Outbox outbox, FeeProperties fees) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.rule = new RiskRule(fees.fixedWei());
  }

  /** Applies the batch's Synced and FeeVault changes and announces the transitions they cause. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void apply(Batch batch) {
    Map<String, ChainChange> synced = new LinkedHashMap<>();
    Map<String, ChainChange> feeVault = new LinkedHashMap<>();
    // user -> the latest log of the batch that touched them (the cause named in an alert)
    Map<String, ChainLogRef> causes = new TreeMap<>();
    for (ChainChange change : batch.chainChanges()) {
      String topic = change.record().topic();
      if (topic.equals(Topics.CHAIN_SYNCED.name())) {
        SyncedEvent event = (SyncedEvent) change.record().value();
        String user = ChainValues.address(event.getUser());
        if (event.getNewBalanceSats() < 0) {
          throw new MalformedEventException("Synced newBalanceSats is negative: " + event);
        }
        synced.remove(change.eventId());
        synced.put(change.eventId(), change);
        causes.merge(user, change.log(), RiskBook::later);
      } else if (topic.equals(Topics.CHAIN_FEE_VAULT.name())) {
        FeeVaultEvent event = (FeeVaultEvent) change.record().value();
        String user = ChainValues.address(event.getUser());
        ChainValues.unsigned("amountWei", event.getAmountWei());
        feeVault.remove(change.eventId());
        feeVault.put(change.eventId(), change);
        causes.merge(user, change.log(), RiskBook::later);
      }
    }
    if (causes.isEmpty()) {
      return;
    }
    storeSynced(synced.values());
    storeFeeVault(feeVault.values());
    settle(causes);
  }

  /**
   * Queues {@code notice} (an alert about this user that is not about their risk, e.g. a burn
   * notice withdrawn after a reorg, kind CLEARED) with the user's current balances, and then, if
   * the user is at risk, their AT_RISK alert again: readers that take a user's latest AT_RISK /
   * CLEARED alert as their risk keep seeing the truth. The user's row is locked first, so no
   * concurrent transition of the same user is ordered between the two alerts. A user the book does
   * not know gets the notice without balances.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void queueRestatingRisk(EmergencyAlert notice, ChainLogRef cause) {
    Optional<UserRisk> current = lock(List.of(notice.getUser())).values().stream().findFirst();
    EmergencyAlert.Builder withBalances = EmergencyAlert.newBuilder(notice);
    current.ifPresent(
        risk ->
            withBalances
                .setRbtcBalanceSats(risk.rbtcBalanceSats())
                .setFeeVaultBalanceWei(risk.feeVaultBalanceWei().toString())
                .setRequiredFeeWei(rule.fixedFeeWei().toString()));
    outbox.add(Topics.EMERGENCY_ALERTS, notice.getUser(), withBalances.build());
    if (current.isPresent() && current.get().atRisk()) {
      outbox.add(
          Topics.EMERGENCY_ALERTS,
          notice.getUser(),
          alert(current.get(), AlertKind.AT_RISK, EventIds.of(cause), cause));
    }
  }

  /** The fee of a downward sync, which the at-risk rule compares the fee vault with. */
  public BigInteger fixedFeeWei() {
    return rule.fixedFeeWei();
  }

  private void storeSynced(Iterable<ChainChange> changes) {
    List<String> upsertIds = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<Long> blocks = new ArrayList<>();
    List<Integer> logIndexes = new ArrayList<>();
    List<Long> balances = new ArrayList<>();
    List<String> deleteIds = new ArrayList<>();
    for (ChainChange change : changes) {
      if (change.kind() == ChainChange.Kind.RETRACT) {
        deleteIds.add(change.eventId());
        continue;
      }
      SyncedEvent event = (SyncedEvent) change.record().value();
      upsertIds.add(change.eventId());
      users.add(ChainValues.address(event.getUser()));
      blocks.add(change.log().getBlockNumber());
      logIndexes.add(change.log().getLogIndex());
      balances.add(event.getNewBalanceSats());
    }
    if (!deleteIds.isEmpty()) {
      jdbc.sql("delete from synced_events where event_id = any(:ids::text[])")
          .param("ids", deleteIds.toArray(String[]::new))
          .update();
    }
    if (!upsertIds.isEmpty()) {
      jdbc.sql(
              """
              insert into synced_events (event_id, user_address, block_number, log_index,
                  new_balance_sats)
              select * from unnest(:ids::text[], :users::text[], :blocks::bigint[],
                  :logIndexes::int[], :balances::bigint[])
              on conflict (event_id) do update set block_number = excluded.block_number,
                  log_index = excluded.log_index, new_balance_sats = excluded.new_balance_sats
              """)
          .param("ids", upsertIds.toArray(String[]::new))
          .param("users", users.toArray(String[]::new))
          .param("blocks", blocks.toArray(Long[]::new))
          .param("logIndexes", logIndexes.toArray(Integer[]::new))
          .param("balances", balances.toArray(Long[]::new))
          .update();
    }
  }

  private void storeFeeVault(Iterable<ChainChange> changes) {
    List<String> upsertIds = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<Long> blocks = new ArrayList<>();
    List<String> amounts = new ArrayList<>();
    List<String> deleteIds = new ArrayList<>();
    for (ChainChange change : changes) {
      if (change.kind() == ChainChange.Kind.RETRACT) {
        deleteIds.add(change.eventId());
        continue;
      }
      FeeVaultEvent event = (FeeVaultEvent) change.record().value();
      BigInteger amount = ChainValues.unsigned("amountWei", event.getAmountWei());
      BigInteger signed =
          switch (event.getKind()) {
            case DEPOSITED -> amount;
            case SPENT, WITHDRAWN -> amount.negate();
          };
      upsertIds.add(change.eventId());
      users.add(ChainValues.address(event.getUser()));
      blocks.add(change.log().getBlockNumber());
      amounts.add(signed.toString());
    }
    if (!deleteIds.isEmpty()) {
      jdbc.sql("delete from fee_vault_events where event_id = any(:ids::text[])")
          .param("ids", deleteIds.toArray(String[]::new))
          .update();
    }
    if (!upsertIds.isEmpty()) {
      jdbc.sql(
              """
              insert into fee_vault_events (event_id, user_address, block_number, change_wei)
              select id, usr, block, amount::numeric
              from unnest(:ids::text[], :users::text[], :blocks::bigint[], :amounts::text[])
                  as v(id, usr, block, amount)
              on conflict (event_id) do update set block_number = excluded.block_number,
                  change_wei = excluded.change_wei
              """)
          .param("ids", upsertIds.toArray(String[]::new))
          .param("users", users.toArray(String[]::new))
          .param("blocks", blocks.toArray(Long[]::new))
          .param("amounts", amounts.toArray(String[]::new))
          .update();
    }
  }

  /** Recomputes the users' balances from the stored logs and announces their transitions. */
  private void settle(Map<String, ChainLogRef> causes) {
    List<String> users = List.copyOf(causes.keySet());
    String[] sorted = users.toArray(String[]::new);
    jdbc.sql(
            "insert into user_risk (user_address) select unnest(:users::text[])"
                + " on conflict do nothing")
        .param("users", sorted)
        .update();
    Map<String, UserRisk> before = lock(users);
    List<UserRisk> after = new ArrayList<>();
    jdbc.sql(
            """
            select u.a,
                   coalesce((select s.new_balance_sats from synced_events s
                             where s.user_address = u.a
                             order by s.block_number desc, s.log_index desc limit 1), 0),
                   coalesce((select sum(f.change_wei) from fee_vault_events f
                             where f.user_address = u.a), 0)
            from unnest(:users::text[]) as u(a)
            """)
        .param("users", sorted)
        .query(
            rs -> {
              long rbtc = rs.getLong(2);
              BigInteger vault = rs.getBigDecimal(3).toBigIntegerExact();
              after.add(new UserRisk(rs.getString(1), rbtc, vault, rule.atRisk(rbtc, vault)));
            });
    List<UserRisk> changed = new ArrayList<>();
    for (UserRisk now : after) {
      UserRisk was = before.get(now.user());
      if (!now.equals(was)) {
        changed.add(now);
      }
      if (was != null && was.atRisk() != now.atRisk()) {
        announce(now, causes.get(now.user()));
      }
    }
    if (!changed.isEmpty()) {
      jdbc.sql(
              """
              update user_risk r set rbtc_balance_sats = v.rbtc, fee_vault_balance_wei = v.vault::numeric,
                  at_risk = v.risk, updated_at = now()
              from unnest(:users::text[], :rbtc::bigint[], :vault::text[], :risk::boolean[])
                  as v(usr, rbtc, vault, risk)
              where r.user_address = v.usr
              """)
          .param("users", changed.stream().map(UserRisk::user).toArray(String[]::new))
          .param("rbtc", changed.stream().map(UserRisk::rbtcBalanceSats).toArray(Long[]::new))
          .param(
              "vault",
              changed.stream().map(r -> r.feeVaultBalanceWei().toString()).toArray(String[]::new))
          .param("risk", changed.stream().map(UserRisk::atRisk).toArray(Boolean[]::new))
          .update();
    }
  }

  /** Locks the rows of {@code users} that exist, in address order. */
  private Map<String, UserRisk> lock(List<String> users) {
    Map<String, UserRisk> rows = new LinkedHashMap<>();
    jdbc.sql(
            """
            select user_address, rbtc_balance_sats, fee_vault_balance_wei, at_risk from user_risk
            where user_address = any(:users::text[]) order by user_address for update
            """)
        .param("users", new TreeSet<>(users).toArray(String[]::new))
        .query(
            rs -> {
              rows.put(
                  rs.getString(1),
                  new UserRisk(
                      rs.getString(1),
                      rs.getLong(2),
                      rs.getBigDecimal(3).toBigIntegerExact(),
                      rs.getBoolean(4)));
            });
    return rows;
  }

  private void announce(UserRisk risk, ChainLogRef cause) {
    AlertKind kind = risk.atRisk() ? AlertKind.AT_RISK : AlertKind.CLEARED;
    String eventId = EventIds.of(cause);
    log.info(
        "user {} is now {}: rbtc={} sats, fee vault={} wei, downward sync fee={} wei (event {})",
        risk.user(),
        kind,
        risk.rbtcBalanceSats(),
        risk.feeVaultBalanceWei(),
        rule.fixedFeeWei(),
        eventId);
    outbox.add(Topics.EMERGENCY_ALERTS, risk.user(), alert(risk, kind, eventId, cause));
  }

  private EmergencyAlert alert(UserRisk risk, AlertKind kind, String eventId, ChainLogRef cause) {
    String message =
        kind == AlertKind.AT_RISK
            ? "The fee vault holds "
                + risk.feeVaultBalanceWei()
                + " wei, less than the "
                + rule.fixedFeeWei()
                + " wei fee of a downward sync: the next decrease of the Bitcoin balance burns all "
                + risk.rbtcBalanceSats()
                + " sats of rBTC-SYNTH. Deposit ETH into the fee vault."
            : risk.rbtcBalanceSats() == 0
                ? "No rBTC-SYNTH balance left to burn."
                : "The fee vault covers a downward sync again.";
    return EmergencyAlert.newBuilder()
        .setUser(risk.user())
        .setKind(kind)
        .setRbtcBalanceSats(risk.rbtcBalanceSats())
        .setFeeVaultBalanceWei(risk.feeVaultBalanceWei().toString())
        .setRequiredFeeWei(rule.fixedFeeWei().toString())
        .setEventId(eventId)
        .setMessage(message)
        .setOccurredAtMillis(cause.getBlockTimestamp() * 1000)
        .build();
  }

  private static ChainLogRef later(ChainLogRef a, ChainLogRef b) {
    int byBlock = Long.compare(a.getBlockNumber(), b.getBlockNumber());
    if (byBlock != 0) {
      return byBlock > 0 ? a : b;
    }
    return a.getLogIndex() >= b.getLogIndex() ? a : b;
  }

  /** How many users are at risk now (a gauge). */
  public long usersAtRisk() {
    return jdbc.sql("select count(*) from user_risk where at_risk").query(Long.class).single();
  }
}
