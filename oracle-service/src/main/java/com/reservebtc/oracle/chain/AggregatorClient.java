package com.reservebtc.oracle.chain;

import com.reservebtc.contracts.generated.FeePolicy;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.revert.ContractError;
import com.reservebtc.contracts.revert.Reverts;
import com.reservebtc.txsender.Receipt;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The oracle's view of the OracleAggregator: reads, {@code sync} simulation, call encoding and
 * receipt interpretation. web3j types stop here; callers get {@code long}, {@link BigInteger} and
 * the oracle's own result types.
 *
 * <p>Guarantees: {@link #verifyDeployment()} refuses a node on another chain, an address without
 * code and a deployment whose committee is not our key (every sync would revert). Simulation
 * recognises {@code "needs-topup"} and {@code FeeCapExceeded()} by their revert data. {@link
 * #lastSats(Collection)} reads many users in JSON-RPC batches and matches answers to requests by
 * id, not by position; a missing, failed or malformed answer fails the whole read (never a zero).
 * Does not send transactions; the committee's {@code TransactionSender} does.
 */
public final class AggregatorClient {

  private static final String SYNCED_TOPIC = EventEncoder.encode(OracleAggregator.SYNCED_EVENT);
  private static final String EMERGENCY_BURN_TOPIC =
      EventEncoder.encode(OracleAggregator.EMERGENCYBURN_EVENT);
  private static final byte[] NO_PROOF = new byte[0];

  private final Web3j web3j;
  private final long chainId;
  private final String address;
  private final String committee;
  private final int readBatchSize;
  private final OracleAggregator contract;
  private volatile FeeSchedule fees;
  private volatile String synth;

  /**
   * @param readBatchSize most calls in one JSON-RPC batch; 1 sends every read on its own (for
   *     endpoints that refuse batches)
   */
  AggregatorClient(Web3j web3j, long chainId, String address, String committee, int readBatchSize) {
    if (readBatchSize < 1) {
      throw new IllegalArgumentException("readBatchSize must be >= 1, was " + readBatchSize);
    }
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.chainId = chainId;
    this.readBatchSize = readBatchSize;
    this.address = address.toLowerCase(Locale.ROOT);
    this.committee = committee.toLowerCase(Locale.ROOT);
    this.contract =
        OracleAggregator.load(
            this.address,
            web3j,
            new ReadonlyTransactionManager(web3j, this.committee),
            new DefaultGasProvider());
  }

  /** The aggregator's address, lower case. */
  public String address() {
    return address;
  }

  /** The committee address the oracle signs with, lower case. */
  public String committee() {
    return committee;
  }

  /**
   * Checks the node and deployment once they are reachable, and caches the fee schedule.
   *
   * @throws ChainException {@code MISCONFIGURED} if the chain id, code or committee do not match,
   *     {@code UNAVAILABLE} if the node cannot be asked
   */
  public FeeSchedule verifyDeployment() throws ChainException {
    FeeSchedule cached = fees;
    if (cached != null) {
      return cached;
    }
    long nodeChainId =
        read("eth_chainId", () -> web3j.ethChainId().send().getChainId()).longValue();
    if (nodeChainId != chainId) {
      throw new ChainException(
          ChainException.Kind.MISCONFIGURED,
          "the node at rbtc.chain.rpc-url is chain "
              + nodeChainId
              + ", configured rbtc.chain.id is "
              + chainId);
    }
    String code =
        read(
            "eth_getCode",
            () -> web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode());
    if (code == null || code.equals("0x") || code.isEmpty()) {
      throw new ChainException(
          ChainException.Kind.MISCONFIGURED,
          "no contract at rbtc.contracts.oracle-aggregator " + address);
    }
    String onChainCommittee = read("committee()", contract.committee()).toLowerCase(Locale.ROOT);
    if (!onChainCommittee.equals(committee)) {
      throw new ChainException(
          ChainException.Kind.MISCONFIGURED,
          "the aggregator's committee is "
              + onChainCommittee
              + " but the oracle's key is "
              + committee);
    }
    String feePolicyAddress = read("feePolicy()", contract.feePolicy());
    FeePolicy policy =
        FeePolicy.load(
            feePolicyAddress,
            web3j,
            new ReadonlyTransactionManager(web3j, committee),
            new DefaultGasProvider());
    FeeSchedule loaded =
        new FeeSchedule(
            read("pctBps()", policy.pctBps()),
            read("fixedWei()", policy.fixedWei()),
            read("weiPerSat()", policy.weiPerSat()),
            read("maxFeePerSyncWei()", contract.maxFeePerSyncWei()));
    fees = loaded;
    return loaded;
  }

  /**
   * rBTC-SYNTH {@code totalSupply()} at the latest block, read at an explicit block number so the
   * figure is tied to a block. The synth address comes from the aggregator itself.
   */
  public SynthSupply synthSupply() throws ChainException {
    String token = synth;
    if (token == null) {
      token = read("synth()", contract.synth()).toLowerCase(Locale.ROOT);
      synth = token;
    }
    BigInteger block =
        read("eth_blockNumber", () -> web3j.ethBlockNumber().send().getBlockNumber());
    RBTCSynth contract =
        RBTCSynth.load(
            token,
            web3j,
            new ReadonlyTransactionManager(web3j, committee),
            new DefaultGasProvider());
    contract.setDefaultBlockParameter(DefaultBlockParameter.valueOf(block));
    return new SynthSupply(
        token, block.longValueExact(), read("totalSupply()", contract.totalSupply()));
  }

  /** {@code lastSats(user)} at the latest block. */
  public long lastSats(String user) throws ChainException {
    return read("lastSats(" + user + ")", contract.lastSats(user)).longValueExact();
  }

  /**
   * {@code lastSats(user)} of every user at the latest block, in JSON-RPC batches of at most {@code
   * rbtc.chain.read-batch-size} calls (one HTTP round trip each instead of one per user).
   *
   * <p>Each batch is answered at the node's latest block when it arrives, so two batches may be
   * read at different blocks. That is enough for the sync cycle: a user's {@code lastSats} changes
   * only through a sync or an emergency burn of that user, and a sync sets an absolute balance.
   *
   * @return the balance of every distinct user, in the order given
   * @throws ChainException {@code UNAVAILABLE} if any read failed or was not answered
   */
  public Map<String, Long> lastSats(Collection<String> users) throws ChainException {
    List<String> distinct = users.stream().distinct().toList();
    Map<String, Long> result = new LinkedHashMap<>();
    if (readBatchSize == 1) {
      for (String user : distinct) {
        result.put(user, lastSats(user));
      }
      return result;
    }
    for (int from = 0; from < distinct.size(); from += readBatchSize) {
      result.putAll(
          lastSatsBatch(distinct.subList(from, Math.min(distinct.size(), from + readBatchSize))));
    }
    return result;
  }

  private Map<String, Long> lastSatsBatch(List<String> users) throws ChainException {
    BatchRequest batch = web3j.newBatch();
    Map<Long, String> userByRequestId = new HashMap<>();
    for (String user : users) {
      Request<?, EthCall> call =
          web3j.ethCall(
              Transaction.createEthCallTransaction(
                  committee, address, FunctionEncoder.encode(lastSatsFunction(user))),
              DefaultBlockParameterName.LATEST);
      batch.add(call);
      userByRequestId.put(call.getId(), user);
    }
    BatchResponse response;
    try {
      response = batch.send();
    } catch (IOException | RuntimeException e) {
      // web3j reads a non-array answer (an endpoint that refuses batches) as a ClassCastException.
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE,
          "batch of " + users.size() + " lastSats reads failed: " + e,
          e);
    }
    if (response == null) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "batch of lastSats reads got no answer");
    }
    Map<String, Long> byUser = new HashMap<>();
    // JSON-RPC lets a server answer a batch in any order: match answers by id, not position.
    for (Response<?> answer : response.getResponses()) {
      String user = userByRequestId.get(answer.getId());
      if (user == null || !(answer instanceof EthCall call)) {
        throw new ChainException(
            ChainException.Kind.UNAVAILABLE,
            "batch of lastSats reads got an answer to an unknown request id " + answer.getId());
      }
      byUser.put(user, decodeLastSats(user, call));
    }
    Map<String, Long> result = new LinkedHashMap<>();
    for (String user : users) {
      Long sats = byUser.get(user);
      if (sats == null) {
        throw new ChainException(
            ChainException.Kind.UNAVAILABLE, "batch of lastSats reads has no answer for " + user);
      }
      result.put(user, sats);
    }
    return result;
  }

  private static Function lastSatsFunction(String user) {
    return new Function(
        OracleAggregator.FUNC_LASTSATS,
        List.of(new Address(user)),
        List.of(new TypeReference<Uint64>() {}));
  }

  @SuppressWarnings("rawtypes")
  private static long decodeLastSats(String user, EthCall call) throws ChainException {
    if (call.hasError()) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE,
          "lastSats(" + user + ") failed: " + call.getError().getMessage());
    }
    if (call.isReverted()) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE,
          "lastSats(" + user + ") reverted: " + call.getRevertReason());
    }
    List<Type> values;
    try {
      values =
          FunctionReturnDecoder.decode(
              call.getValue(), lastSatsFunction(user).getOutputParameters());
    } catch (RuntimeException e) {
      values = List.of();
    }
    if (values.size() != 1) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE,
          "lastSats(" + user + ") returned no uint64: '" + call.getValue() + "'");
    }
    return ((BigInteger) values.get(0).getValue()).longValueExact();
  }

  /** Runs {@code sync(user, target, 0x)} as {@code eth_call} from the committee. */
  public SimulationResult simulateSync(String user, long target) throws ChainException {
    String data = encodeSync(user, target);
    EthCall call;
    try {
      call =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(committee, address, data),
                  DefaultBlockParameterName.LATEST)
              .send();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_call sync failed: " + e.getMessage(), e);
    }
    if (!call.hasError() && !call.isReverted()) {
      return new SimulationResult.Ok();
    }
    String revertData = call.hasError() ? call.getError().getData() : call.getValue();
    String message = call.hasError() ? call.getError().getMessage() : call.getRevertReason();
    if (Reverts.isNeedsTopUp(revertData)
        || (revertData == null && message != null && message.contains(Reverts.NEEDS_TOP_UP))) {
      return new SimulationResult.NeedsTopUp();
    }
    Optional<ContractError> error = Reverts.customError(revertData);
    if (error.filter(ContractError.FEE_CAP_EXCEEDED::equals).isPresent()) {
      return new SimulationResult.FeeCapExceeded();
    }
    if (error.isPresent()) {
      return new SimulationResult.Reverted(error.get().signature());
    }
    return new SimulationResult.Reverted(
        Reverts.message(revertData)
            .orElse(message == null ? "reverted without a reason" : message));
  }

  /** ABI call data of {@code sync(user, target, 0x)}. */
  public String encodeSync(String user, long target) {
    return contract.sync(user, BigInteger.valueOf(target), NO_PROOF).encodeFunctionCall();
  }

  /** ABI call data of {@code registerAndPrepay(user, method, checksum)}. */
  public String encodeRegisterAndPrepay(String user, int method, byte[] checksum) {
    return contract
        .registerAndPrepay(user, BigInteger.valueOf(method), checksum, BigInteger.ZERO)
        .encodeFunctionCall();
  }

  /** What a mined sync did, from the aggregator's logs in its receipt. */
  public SyncReceipt interpret(Receipt receipt) {
    Long newBalance = null;
    Long delta = null;
    BigInteger fee = null;
    Long burned = null;
    String burnReason = null;
    for (Receipt.LogEntry entry : receipt.logs()) {
      if (!address.equalsIgnoreCase(entry.address()) || entry.topics().isEmpty()) {
        continue;
      }
      Log log = new Log();
      log.setAddress(entry.address());
      log.setTopics(entry.topics());
      log.setData(entry.data());
      String topic = entry.topics().get(0);
      if (SYNCED_TOPIC.equalsIgnoreCase(topic)) {
        OracleAggregator.SyncedEventResponse synced = OracleAggregator.getSyncedEventFromLog(log);
        newBalance = synced.newBalanceSats.longValueExact();
        delta = synced.deltaSats.longValueExact();
        fee = synced.feeWei;
      } else if (EMERGENCY_BURN_TOPIC.equalsIgnoreCase(topic)) {
        OracleAggregator.EmergencyBurnEventResponse burn =
            OracleAggregator.getEmergencyBurnEventFromLog(log);
        burned = burn.burnedAmount.longValueExact();
        burnReason = burn.reason;
      }
    }
    return new SyncReceipt(
        receipt.success(), receipt.blockNumber(), newBalance, delta, fee, burned, burnReason);
  }

  private static <T> T read(String what, RemoteCall<T> call) throws ChainException {
    return read(what, call::send);
  }

  private static <T> T read(String what, ThrowingRead<T> call) throws ChainException {
    try {
      T value = call.get();
      if (value == null) {
        throw new ChainException(ChainException.Kind.UNAVAILABLE, what + " returned nothing");
      }
      return value;
    } catch (ChainException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainException(ChainException.Kind.UNAVAILABLE, "interrupted reading " + what, e);
    } catch (Exception e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "reading " + what + " failed: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface ThrowingRead<T> {
    T get() throws Exception;
  }
}
