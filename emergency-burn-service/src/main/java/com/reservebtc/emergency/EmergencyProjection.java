package com.reservebtc.emergency;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.ChainValues;
import com.reservebtc.chainconsumer.Projection;
import com.reservebtc.emergency.burns.EmergencyBurns;
import com.reservebtc.emergency.outgoing.OutgoingSpends;
import com.reservebtc.emergency.risk.RiskBook;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The service's read model, fed batch by batch by the chain-consumer: balances and risk first
 * (Synced, FeeVault), then emergency burns (whose retraction notices restate the risk as it now
 * stands), then the oracle's observations of unconfirmed spends.
 *
 * <p>Every {@code user_risk} row the batch may write is locked up front, in address order, so two
 * batches applied concurrently (several threads or replicas) wait for each other instead of
 * deadlocking; rows of users the risk book or the observations start to follow are created first.
 */
@Component
class EmergencyProjection implements Projection {

  private final JdbcClient jdbc;
  private final RiskBook risk;
  private final EmergencyBurns burns;
  private final OutgoingSpends outgoing;

  EmergencyProjection(
      JdbcClient jdbc, RiskBook risk, EmergencyBurns burns, OutgoingSpends outgoing) {
    this.jdbc = jdbc;
    this.risk = risk;
    this.burns = burns;
    this.outgoing = outgoing;
  }

  @Override
  public void apply(Batch batch) {
    lockUsers(batch);
    risk.apply(batch);
    burns.apply(batch);
    outgoing.apply(batch);
  }

  private void lockUsers(Batch batch) {
    TreeSet<String> followed = new TreeSet<>();
    TreeSet<String> touched = new TreeSet<>();
    for (ChainChange change : batch.chainChanges()) {
      Object value = change.record().value();
      if (value instanceof SyncedEvent e) {
        followed.add(ChainValues.address(e.getUser()));
      } else if (value instanceof FeeVaultEvent e) {
        followed.add(ChainValues.address(e.getUser()));
      } else if (value instanceof EmergencyBurnEvent e
          && change.kind() == ChainChange.Kind.RETRACT) {
        touched.add(ChainValues.address(e.getUser()));
      }
    }
    for (BtcBalanceObservation observation : batch.values(Topics.ORACLE_BTC_BALANCES)) {
      if (observation.getUserPendingSpentSats() != null) {
        followed.add(ChainValues.address(observation.getEthAddress()));
      }
    }
    touched.addAll(followed);
    if (touched.isEmpty()) {
      return;
    }
    if (!followed.isEmpty()) {
      jdbc.sql(
              "insert into user_risk (user_address) select unnest(:users::text[])"
                  + " on conflict do nothing")
          .param("users", followed.toArray(String[]::new))
          .update();
    }
    jdbc.sql(
            "select user_address from user_risk where user_address = any(:users::text[])"
                + " order by user_address for update")
        .param("users", touched.toArray(String[]::new))
        .query(String.class)
        .list();
  }
}
