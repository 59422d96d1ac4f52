package com.reservebtc.devstack.chaos;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.EventValues;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.Contract;
import tools.jackson.databind.JsonNode;

/**
 * What the chain says: every log of the protocol's five contracts from the deployment block to a
 * head, by {@code eth_getLogs}, decoded with the contracts' own ABI (the generated wrappers'
 * events, independent of the indexer's decoder), in (block, log index) order.
 */
final class ChainTruth {

  private static final int RANGE = 2_000;

  private record Known(ContractKind kind, Event event) {}

  private final long chainId;
  private final long head;
  private final String headHash;
  private final List<ChainEvent> events;

  private ChainTruth(long chainId, long head, String headHash, List<ChainEvent> events) {
    this.chainId = chainId;
    this.head = head;
    this.headHash = headHash;
    this.events = List.copyOf(events);
  }

  /** Reads every protocol log in blocks {@code from..to}. */
  static List<ChainEvent> logs(
      JsonRpc rpc, long chainId, ProtocolDeployment deployment, long from, long to) {
    Map<String, ContractKind> contracts = contracts(deployment);
    Map<String, Known> known = known();
    List<ChainEvent> out = new ArrayList<>();
    for (long start = from; start <= to; start += RANGE) {
      long end = Math.min(to, start + RANGE - 1);
      JsonNode logs =
          rpc.call(
              "eth_getLogs",
              Map.of(
                  "fromBlock", JsonRpc.hex(start),
                  "toBlock", JsonRpc.hex(end),
                  "address", List.copyOf(contracts.keySet())));
      for (JsonNode log : logs) {
        decode(chainId, log, contracts, known).ifPresent(out::add);
      }
    }
    out.sort(
        Comparator.comparingLong(ChainEvent::blockNumber).thenComparingInt(ChainEvent::logIndex));
    return out;
  }

  /** A truth made of given events, for tests. */
  static ChainTruth of(long chainId, long head, String headHash, List<ChainEvent> events) {
    return new ChainTruth(chainId, head, headHash, events);
  }

  static ChainTruth read(JsonRpc rpc, long chainId, ProtocolDeployment deployment, BlockInfo head) {
    return new ChainTruth(
        chainId,
        head.number(),
        head.hash(),
        logs(rpc, chainId, deployment, deployment.deploymentBlock(), head.number()));
  }

  long chainId() {
    return chainId;
  }

  long head() {
    return head;
  }

  String headHash() {
    return headHash;
  }

  List<ChainEvent> events() {
    return events;
  }

  List<ChainEvent> events(ContractKind contract, String name) {
    return events.stream().filter(e -> e.is(contract, name)).toList();
  }

  /** Logs per family, for the report. */
  Map<String, Integer> countsByFamily() {
    Map<String, Integer> counts = new TreeMap<>();
    events.forEach(e -> counts.merge(e.family(), 1, Integer::sum));
    return counts;
  }

  /** Every address that appears as an indexed argument, but the zero address. */
  TreeSet<String> addresses() {
    TreeSet<String> all = new TreeSet<>();
    events.forEach(e -> all.addAll(e.addresses()));
    all.remove(ChainEvent.ZERO_ADDRESS);
    return all;
  }

  /** rBTC-SYNTH minted to minus burned from each address, over the canonical logs. */
  Map<String, BigInteger> synthMintedMinusBurned() {
    Map<String, BigInteger> net = new HashMap<>();
    for (ChainEvent e : events(ContractKind.RBTC_SYNTH, "Transfer")) {
      if (e.isMint()) {
        net.merge(e.address(1), e.number(0), BigInteger::add);
      } else if (e.isBurn()) {
        net.merge(e.address(0), e.number(0).negate(), BigInteger::add);
      }
    }
    return net;
  }

  /** The highest rBTC-SYNTH total supply after any log, in (block, log index) order. */
  BigInteger peakSynthSupply() {
    BigInteger supply = BigInteger.ZERO;
    BigInteger peak = BigInteger.ZERO;
    for (ChainEvent e : events(ContractKind.RBTC_SYNTH, "Transfer")) {
      if (e.isMint()) {
        supply = supply.add(e.number(0));
      } else if (e.isBurn()) {
        supply = supply.subtract(e.number(0));
      }
      peak = peak.max(supply);
    }
    return peak;
  }

  private static Optional<ChainEvent> decode(
      long chainId, JsonNode raw, Map<String, ContractKind> contracts, Map<String, Known> known) {
    String address = raw.get("address").asString().toLowerCase(Locale.ROOT);
    List<String> topics = raw.get("topics").valueStream().map(JsonNode::asString).toList();
    if (topics.isEmpty()) {
      return Optional.empty();
    }
    Known event = known.get(contracts.get(address) + ":" + topics.get(0).toLowerCase(Locale.ROOT));
    if (event == null) {
      // Approval, FeesCollected: logs the product does not consume
      return Optional.empty();
    }
    Log log = new Log();
    log.setTopics(topics);
    log.setData(raw.get("data").asString());
    EventValues values = Contract.staticExtractEventParameters(event.event(), log);
    if (values == null) {
      throw new ChaosException("a log does not decode as " + event.event().getName() + ": " + raw);
    }
    List<String> addresses = new ArrayList<>();
    for (Type<?> t : values.getIndexedValues()) {
      addresses.add(((Address) t).getValue().toLowerCase(Locale.ROOT));
    }
    List<BigInteger> numbers = new ArrayList<>();
    String text = null;
    for (Type<?> t : values.getNonIndexedValues()) {
      if (t instanceof Utf8String s) {
        text = s.getValue();
      } else {
        numbers.add((BigInteger) t.getValue());
      }
    }
    return Optional.of(
        new ChainEvent(
            chainId,
            event.kind(),
            event.event().getName(),
            JsonRpc.quantity(raw.get("blockNumber")),
            raw.get("blockHash").asString().toLowerCase(Locale.ROOT),
            raw.get("transactionHash").asString().toLowerCase(Locale.ROOT),
            (int) JsonRpc.quantity(raw.get("logIndex")),
            addresses,
            numbers,
            text));
  }

  private static Map<String, ContractKind> contracts(ProtocolDeployment d) {
    Map<String, ContractKind> contracts = new HashMap<>();
    contracts.put(d.oracleAggregator().toLowerCase(Locale.ROOT), ContractKind.ORACLE_AGGREGATOR);
    contracts.put(d.synth().toLowerCase(Locale.ROOT), ContractKind.RBTC_SYNTH);
    contracts.put(d.feeVault().toLowerCase(Locale.ROOT), ContractKind.FEE_VAULT);
    contracts.put(d.wrbtc().toLowerCase(Locale.ROOT), ContractKind.VAULT_WRBTC);
    contracts.put(d.yieldPool().toLowerCase(Locale.ROOT), ContractKind.YIELD_POOL);
    return contracts;
  }

  private static Map<String, Known> known() {
    Map<String, Known> known = new HashMap<>();
    add(known, ContractKind.ORACLE_AGGREGATOR, OracleAggregator.SYNCED_EVENT);
    add(known, ContractKind.ORACLE_AGGREGATOR, OracleAggregator.EMERGENCYBURN_EVENT);
    add(known, ContractKind.RBTC_SYNTH, RBTCSynth.TRANSFER_EVENT);
    add(known, ContractKind.FEE_VAULT, FeeVault.DEPOSITED_EVENT);
    add(known, ContractKind.FEE_VAULT, FeeVault.SPENT_EVENT);
    add(known, ContractKind.FEE_VAULT, FeeVault.WITHDRAWN_EVENT);
    add(known, ContractKind.VAULT_WRBTC, VaultWrBTC.TRANSFER_EVENT);
    add(known, ContractKind.VAULT_WRBTC, VaultWrBTC.WRAPPED_EVENT);
    add(known, ContractKind.VAULT_WRBTC, VaultWrBTC.REDEEMED_EVENT);
    add(known, ContractKind.VAULT_WRBTC, VaultWrBTC.SLASHED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.PARTICIPANTJOINED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.YIELDCALCULATED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.YIELDCLAIMED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.SCALESBALANCEUPDATED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.EMERGENCYBURNTRIGGERED_EVENT);
    add(known, ContractKind.YIELD_POOL, YieldScalesPool.BALANCEDISPUTED_EVENT);
    return known;
  }

  private static void add(Map<String, Known> known, ContractKind kind, Event event) {
    known.put(
        kind + ":" + EventEncoder.encode(event).toLowerCase(Locale.ROOT), new Known(kind, event));
  }
}
