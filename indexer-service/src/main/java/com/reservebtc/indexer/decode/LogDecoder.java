package com.reservebtc.indexer.decode;

import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.RawLog;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.web3j.abi.datatypes.Event;

/**
 * Turns raw logs of the configured contracts into chain records (the Avro wire types), one record
 * per log, for every event of SPEC §1 the product consumes.
 *
 * <p>Guarantees: a log of a configured contract whose signature is known becomes exactly one record
 * with a complete {@link ChainLogRef} (finality PENDING, not retracted): the event's record, or,
 * when the log does not decode with that event's ABI, a {@link QuarantinedLog} with the raw log and
 * the reason (for {@link com.reservebtc.schemas.Topics#CHAIN_QUARANTINE}), so one bad log never
 * stops the chain; logs of unknown signatures (Approval, FeesCollected) or of unconfigured
 * addresses yield nothing. Stateless and thread-safe.
 */
public final class LogDecoder {

  private static final Address ZERO = Address.of("0x" + "0".repeat(40));

  private final long chainId;
  private final Map<Address, ContractKind> kindByAddress;
  private final Map<ContractKind, Map<String, Handler>> handlers;

  public LogDecoder(long chainId, Collection<Deployment> deployments) {
    this.chainId = chainId;
    Map<Address, ContractKind> kinds = new HashMap<>();
    deployments.forEach(d -> kinds.put(d.address(), d.kind()));
    this.kindByAddress = Map.copyOf(kinds);
    this.handlers = buildHandlers();
  }

  /** Signature hashes of every event this decoder turns into a record (an eth_getLogs filter). */
  public Set<String> topic0s() {
    Set<String> all = new LinkedHashSet<>();
    kindByAddress.values().forEach(kind -> all.addAll(handlers.get(kind).keySet()));
    return all;
  }

  /**
   * The record for {@code log}, or empty if the log is not one the product consumes.
   *
   * @param blockTimestamp the timestamp of the log's block, epoch seconds
   * @return the event's record, a quarantine record if the log has a known signature but does not
   *     decode, or empty
   */
  public Optional<ChainRecord> decode(RawLog log, long blockTimestamp) {
    ContractKind kind = kindByAddress.get(log.address());
    if (kind == null || log.topic0() == null) {
      return Optional.empty();
    }
    Handler handler = handlers.get(kind).get(log.topic0());
    if (handler == null) {
      return Optional.empty();
    }
    ChainLogRef ref =
        new ChainLogRef(
            chainId,
            log.address().value(),
            log.blockNumber(),
            log.blockHash(),
            log.txHash(),
            log.logIndex(),
            blockTimestamp,
            Finality.PENDING,
            false);
    SpecificRecord value;
    try {
      value = handler.build(handler.abi.decode(log), ref);
    } catch (LogDecodingException e) {
      value = quarantined(handler, log, ref, e.getMessage());
    } catch (RuntimeException e) {
      value = quarantined(handler, log, ref, "out-of-range values: " + e.getMessage());
    }
    return Optional.of(ChainRecord.of(value));
  }

  private static QuarantinedLog quarantined(
      Handler handler, RawLog log, ChainLogRef ref, String reason) {
    return new QuarantinedLog(
        ref,
        handler.abi.name(),
        log.topics(),
        log.data(),
        handler.abi.name() + " log does not decode with the event's ABI: " + reason);
  }

  private static Map<ContractKind, Map<String, Handler>> buildHandlers() {
    Map<ContractKind, Map<String, Handler>> all = new EnumMap<>(ContractKind.class);
    all.put(
        ContractKind.ORACLE_AGGREGATOR,
        table(
            handler(
                OracleAggregator.SYNCED_EVENT,
                (a, ref) ->
                    new SyncedEvent(
                        ref,
                        a.indexedAddress(0).value(),
                        a.number(0).longValueExact(),
                        a.number(1).longValueExact(),
                        a.decimal(2),
                        a.number(3).longValueExact(),
                        a.number(4).longValueExact())),
            handler(
                OracleAggregator.EMERGENCYBURN_EVENT,
                (a, ref) ->
                    new EmergencyBurnEvent(
                        ref,
                        EmergencyBurnSource.ORACLE_AGGREGATOR,
                        a.indexedAddress(0).value(),
                        a.decimal(0),
                        a.string(1)))));
    all.put(
        ContractKind.RBTC_SYNTH,
        table(handler(RBTCSynth.TRANSFER_EVENT, (a, ref) -> transfer(Token.RBTC_SYNTH, a, ref))));
    all.put(
        ContractKind.VAULT_WRBTC,
        table(
            handler(VaultWrBTC.TRANSFER_EVENT, (a, ref) -> transfer(Token.WRBTC, a, ref)),
            handler(VaultWrBTC.WRAPPED_EVENT, (a, ref) -> wrbtc(TokenEventKind.WRAPPED, a, ref)),
            handler(VaultWrBTC.REDEEMED_EVENT, (a, ref) -> wrbtc(TokenEventKind.REDEEMED, a, ref)),
            handler(VaultWrBTC.SLASHED_EVENT, (a, ref) -> wrbtc(TokenEventKind.SLASHED, a, ref))));
    all.put(
        ContractKind.FEE_VAULT,
        table(
            handler(
                FeeVault.DEPOSITED_EVENT,
                (a, ref) -> feeVault(FeeVaultEventKind.DEPOSITED, a, ref, null)),
            handler(
                FeeVault.SPENT_EVENT,
                (a, ref) -> feeVault(FeeVaultEventKind.SPENT, a, ref, a.indexedAddress(1).value())),
            handler(
                FeeVault.WITHDRAWN_EVENT,
                (a, ref) -> feeVault(FeeVaultEventKind.WITHDRAWN, a, ref, null))));
    all.put(
        ContractKind.YIELD_POOL,
        table(
            handler(
                YieldScalesPool.PARTICIPANTJOINED_EVENT,
                (a, ref) ->
                    new YieldPoolEvent(
                        ref,
                        new ParticipantJoined(
                            a.indexedAddress(0).value(),
                            a.number(0).intValueExact(),
                            a.decimal(1)))),
            handler(
                YieldScalesPool.YIELDCALCULATED_EVENT,
                (a, ref) ->
                    new YieldPoolEvent(
                        ref, new YieldCalculated(a.decimal(0), a.decimal(1), a.decimal(2)))),
            handler(
                YieldScalesPool.YIELDCLAIMED_EVENT,
                (a, ref) ->
                    new YieldPoolEvent(
                        ref, new YieldClaimed(a.indexedAddress(0).value(), a.decimal(0)))),
            handler(
                YieldScalesPool.SCALESBALANCEUPDATED_EVENT,
                (a, ref) ->
                    new YieldPoolEvent(
                        ref, new ScalesBalanceUpdated(a.decimal(0), a.decimal(1), a.decimal(2)))),
            handler(
                YieldScalesPool.BALANCEDISPUTED_EVENT,
                (a, ref) ->
                    new YieldPoolEvent(
                        ref,
                        new BalanceDisputed(
                            a.indexedAddress(0).value(), a.decimal(0), a.decimal(1)))),
            handler(
                YieldScalesPool.EMERGENCYBURNTRIGGERED_EVENT,
                (a, ref) ->
                    new EmergencyBurnEvent(
                        ref,
                        EmergencyBurnSource.YIELD_POOL,
                        a.indexedAddress(0).value(),
                        a.decimal(0),
                        a.string(1)))));
    return all;
  }

  /**
   * Transfer from zero is a mint (keyed by the recipient), to zero a burn, else keyed by sender.
   */
  private static TokenEvent transfer(Token token, EventArgs a, ChainLogRef ref) {
    Address from = a.indexedAddress(0);
    Address to = a.indexedAddress(1);
    TokenEventKind kind;
    Address user;
    if (from.equals(ZERO)) {
      kind = TokenEventKind.MINT;
      user = to;
    } else if (to.equals(ZERO)) {
      kind = TokenEventKind.BURN;
      user = from;
    } else {
      kind = TokenEventKind.TRANSFER;
      user = from;
    }
    return new TokenEvent(ref, token, kind, user.value(), from.value(), to.value(), a.decimal(0));
  }

  private static TokenEvent wrbtc(TokenEventKind kind, EventArgs a, ChainLogRef ref) {
    return new TokenEvent(
        ref, Token.WRBTC, kind, a.indexedAddress(0).value(), null, null, a.decimal(0));
  }

  private static FeeVaultEvent feeVault(
      FeeVaultEventKind kind, EventArgs a, ChainLogRef ref, String spentBy) {
    return new FeeVaultEvent(ref, kind, a.indexedAddress(0).value(), a.decimal(0), spentBy);
  }

  private static Map<String, Handler> table(Handler... handlers) {
    Map<String, Handler> table = new LinkedHashMap<>();
    for (Handler handler : handlers) {
      table.put(handler.abi.topic0(), handler);
    }
    return Map.copyOf(table);
  }

  private static Handler handler(Event event, Builder builder) {
    return new Handler(new AbiEvent(event), builder);
  }

  @FunctionalInterface
  private interface Builder {
    SpecificRecord build(EventArgs args, ChainLogRef ref);
  }

  private record Handler(AbiEvent abi, Builder builder) {
    SpecificRecord build(EventArgs args, ChainLogRef ref) {
      return builder.build(args, ref);
    }
  }
}
