package com.reservebtc.indexer.decode;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * Topic and key of every chain record type, in one place so that a first publication and its later
 * retraction (rebuilt from the cursor) always land on the same topic and partition.
 */
final class RecordKeys {

  private RecordKeys() {}

  static Topic<?> topicOf(SpecificRecord value) {
    if (value instanceof SyncedEvent) {
      return Topics.CHAIN_SYNCED;
    }
    if (value instanceof EmergencyBurnEvent) {
      return Topics.CHAIN_EMERGENCY_BURNS;
    }
    if (value instanceof TokenEvent) {
      return Topics.CHAIN_TOKEN_TRANSFERS;
    }
    if (value instanceof FeeVaultEvent) {
      return Topics.CHAIN_FEE_VAULT;
    }
    if (value instanceof YieldPoolEvent) {
      return Topics.CHAIN_YIELD_POOL;
    }
    if (value instanceof QuarantinedLog) {
      return Topics.CHAIN_QUARANTINE;
    }
    throw new IllegalArgumentException("not a chain record: " + value.getSchema().getFullName());
  }

  /**
   * The user the record concerns, {@link Keys#GLOBAL} for pool-wide yield events, the chain for
   * quarantined logs.
   */
  static String keyOf(SpecificRecord value) {
    if (value instanceof SyncedEvent e) {
      return user(e.getUser());
    }
    if (value instanceof EmergencyBurnEvent e) {
      return user(e.getUser());
    }
    if (value instanceof TokenEvent e) {
      return user(e.getUser());
    }
    if (value instanceof FeeVaultEvent e) {
      return user(e.getUser());
    }
    if (value instanceof YieldPoolEvent e) {
      Object payload = e.getPayload();
      if (payload instanceof ParticipantJoined p) {
        return user(p.getUser());
      }
      if (payload instanceof YieldClaimed p) {
        return user(p.getUser());
      }
      if (payload instanceof BalanceDisputed p) {
        return user(p.getUser());
      }
      return Keys.GLOBAL;
    }
    if (value instanceof QuarantinedLog q) {
      return Keys.chain(q.getLog().getChainId());
    }
    throw new IllegalArgumentException("not a chain record: " + value.getSchema().getFullName());
  }

  /** {@link Keys#user} without a regular expression: this runs for every record. */
  private static String user(String address) {
    return Address.of(address).value();
  }
}
