package com.reservebtc.indexer.decode;

import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Solidity event a chain record was decoded from ({@code Synced}, {@code Transfer}, ...), read
 * back from the record itself, so that records restored from the cursor are named like fresh ones.
 */
public final class EventNames {

  private EventNames() {}

  public static String of(ChainRecord record) {
    return of(record.value());
  }

  /** Whether the record is a quarantined log rather than a decoded event. */
  public static boolean quarantined(ChainRecord record) {
    return record.value() instanceof QuarantinedLog;
  }

  public static String of(SpecificRecord value) {
    if (value instanceof QuarantinedLog q) {
      return "Quarantined(" + q.getEvent() + ")";
    }
    if (value instanceof SyncedEvent) {
      return "Synced";
    }
    if (value instanceof EmergencyBurnEvent e) {
      return e.getSource() == EmergencyBurnSource.YIELD_POOL
          ? "EmergencyBurnTriggered"
          : "EmergencyBurn";
    }
    if (value instanceof TokenEvent e) {
      return switch (e.getKind()) {
        case MINT, BURN, TRANSFER -> "Transfer";
        case WRAPPED -> "Wrapped";
        case REDEEMED -> "Redeemed";
        case SLASHED -> "Slashed";
      };
    }
    if (value instanceof FeeVaultEvent e) {
      return switch (e.getKind()) {
        case DEPOSITED -> "Deposited";
        case SPENT -> "Spent";
        case WITHDRAWN -> "Withdrawn";
      };
    }
    if (value instanceof YieldPoolEvent e) {
      Object payload = e.getPayload();
      if (payload instanceof ParticipantJoined) {
        return "ParticipantJoined";
      }
      if (payload instanceof YieldCalculated) {
        return "YieldCalculated";
      }
      if (payload instanceof YieldClaimed) {
        return "YieldClaimed";
      }
      if (payload instanceof ScalesBalanceUpdated) {
        return "ScalesBalanceUpdated";
      }
      if (payload instanceof BalanceDisputed) {
        return "BalanceDisputed";
      }
    }
    throw new IllegalArgumentException("not a chain record: " + value.getSchema().getFullName());
  }
}
