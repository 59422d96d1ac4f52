package com.reservebtc.devstack;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The deployed protocol as the node sees it: the balances and logs the read models must equal, the
 * transactions a user sends from their own wallet, and Anvil's reorg control. Every read goes to
 * the node at the latest block, so after a reorg it answers for the canonical chain.
 */
final class ProtocolChain implements AutoCloseable {

  private static final StaticGasProvider GAS =
      new StaticGasProvider(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(300_000));

  private final HttpService rpc;
  private final Web3j web3j;
  private final long chainId;
  private final ProtocolDeployment deployment;
  private final OracleAggregator aggregator;
  private final RBTCSynth synth;
  private final FeeVault feeVault;

  ProtocolChain(String rpcUrl, long chainId, ProtocolDeployment deployment) {
    this.rpc = new HttpService(rpcUrl);
    this.web3j = Web3j.build(rpc);
    this.chainId = chainId;
    this.deployment = deployment;
    ReadonlyTransactionManager reader =
        new ReadonlyTransactionManager(web3j, deployment.committee());
    this.aggregator = OracleAggregator.load(deployment.oracleAggregator(), web3j, reader, GAS);
    this.synth = RBTCSynth.load(deployment.synth(), web3j, reader, GAS);
    this.feeVault = FeeVault.load(deployment.feeVault(), web3j, reader, GAS);
  }

  static ProtocolChain of(DevStack stack) {
    return new ProtocolChain(stack.rpcUrl(), stack.chainId(), stack.deployment());
  }

  Web3j web3j() {
    return web3j;
  }

  long lastSats(String user) throws Exception {
    return aggregator.lastSats(user).send().longValueExact();
  }

  long synthBalance(String user) throws Exception {
    return synth.balanceOf(user).send().longValueExact();
  }

  long synthTotalSupply() throws Exception {
    return synth.totalSupply().send().longValueExact();
  }

  BigInteger feeVaultBalance(String user) throws Exception {
    return feeVault.balanceOf(user).send();
  }

  /** The user's Synced logs on the canonical chain, oldest first. */
  List<Log> syncedLogs(String user) throws IOException {
    return userLogs(OracleAggregator.SYNCED_EVENT, user);
  }

  /** The user's OracleAggregator EmergencyBurn logs on the canonical chain, oldest first. */
  List<Log> emergencyBurnLogs(String user) throws IOException {
    return userLogs(OracleAggregator.EMERGENCYBURN_EVENT, user);
  }

  private List<Log> userLogs(Event event, String user) throws IOException {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.deploymentBlock())),
            DefaultBlockParameterName.LATEST,
            deployment.oracleAggregator());
    filter.addSingleTopic(EventEncoder.encode(event));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(user), 64));
    EthLog answer = web3j.ethGetLogs(filter).send();
    if (answer.hasError()) {
      throw new IOException("eth_getLogs failed: " + answer.getError().getMessage());
    }
    return answer.getLogs().stream().map(r -> (Log) r.get()).toList();
  }

  /** The event id the read models use for a log: {@code chainId:txHash:logIndex}. */
  String eventId(Log log) {
    return chainId
        + ":"
        + log.getTransactionHash().toLowerCase(Locale.ROOT)
        + ":"
        + log.getLogIndex();
  }

  long blockNumber() throws IOException {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  Optional<TransactionReceipt> receipt(String txHash) throws IOException {
    return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
  }

  /**
   * Replaces the latest {@code depth} blocks with empty blocks at the same heights (Anvil's {@code
   * anvil_reorg}); their transactions are gone, not returned to the pool.
   */
  void reorg(int depth) throws IOException {
    VoidResponse answer =
        new Request<>("anvil_reorg", List.of(depth, List.of()), rpc, VoidResponse.class).send();
    if (answer.hasError()) {
      throw new IOException("anvil_reorg(" + depth + ") failed: " + answer.getError().getMessage());
    }
  }

  /** The user takes back every wei prepaid into the fee vault, from their own wallet. */
  TransactionReceipt withdrawUnusedFees(String privateKey) throws Exception {
    return userFeeVault(privateKey).withdrawUnused().send();
  }

  /** The user prepays sync fees into the fee vault from their own wallet. */
  TransactionReceipt depositFees(String privateKey, BigInteger wei) throws Exception {
    String user = Credentials.create(privateKey).getAddress();
    return userFeeVault(privateKey).depositETH(user, wei).send();
  }

  private FeeVault userFeeVault(String privateKey) {
    RawTransactionManager transactions =
        new RawTransactionManager(
            web3j,
            Credentials.create(privateKey),
            chainId,
            new PollingTransactionReceiptProcessor(web3j, 100, 600));
    return FeeVault.load(deployment.feeVault(), web3j, transactions, GAS);
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
