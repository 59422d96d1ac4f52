package com.reservebtc.indexer.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * The indexer's only door to the EVM node (JSON-RPC over HTTP). Converts every answer into the
 * indexer's own types ({@link BlockHeader}, {@link RawLog}) so web3j stops here.
 *
 * <p>Guarantees: a method either returns what the node answered or throws {@link
 * ChainRpcException}; a missing block is an empty result, never an invented one. Header lookups of
 * many blocks go out as JSON-RPC batches of at most {@code batchSize} calls, matched to their
 * answers by request id. Does not guarantee that two calls see the same chain: callers check
 * hashes.
 */
public final class ChainClient implements AutoCloseable {

  private final Web3j web3j;
  private final int batchSize;

  public ChainClient(String rpcUrl, Duration timeout, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            .build();
    this.web3j = Web3j.build(new HttpService(rpcUrl, http));
    this.batchSize = batchSize;
  }

  public long chainId() {
    return send("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
  }

  public long headNumber() {
    return send("eth_blockNumber", web3j.ethBlockNumber()).getBlockNumber().longValueExact();
  }

  /** The canonical block at {@code number}, or empty if the node has no such block (yet). */
  public Optional<BlockHeader> header(long number) {
    EthBlock answer = send("eth_getBlockByNumber", blockRequest(number));
    return Optional.ofNullable(answer.getBlock()).map(ChainClient::toHeader);
  }

  /**
   * The canonical blocks at {@code numbers}, fetched in JSON-RPC batches. Numbers the node has no
   * block for are absent from the result.
   */
  public Map<Long, BlockHeader> headers(Collection<Long> numbers) {
    List<Long> wanted = numbers.stream().distinct().sorted().toList();
    Map<Long, BlockHeader> result = new TreeMap<>();
    for (int start = 0; start < wanted.size(); start += batchSize) {
      List<Long> chunk = wanted.subList(start, Math.min(wanted.size(), start + batchSize));
      if (chunk.size() == 1) {
        header(chunk.get(0)).ifPresent(h -> result.put(h.number(), h));
        continue;
      }
      BatchRequest batch = web3j.newBatch();
      Map<Long, Long> numberByRequestId = new HashMap<>();
      for (long number : chunk) {
        Request<?, EthBlock> request = blockRequest(number);
        numberByRequestId.put(request.getId(), number);
        batch.add(request);
      }
      for (Response<?> response : sendBatch(batch)) {
        Long number = numberByRequestId.remove(response.getId());
        if (number == null) {
          throw new ChainRpcException(
              "eth_getBlockByNumber batch: answer with unknown id " + response.getId());
        }
        if (response.hasError()) {
          throw rpcError("eth_getBlockByNumber(" + number + ")", response);
        }
        EthBlock.Block block = ((EthBlock) response).getBlock();
        if (block != null) {
          BlockHeader header = toHeader(block);
          if (header.number() != number) {
            throw new ChainRpcException(
                "eth_getBlockByNumber(" + number + ") answered block " + header.number());
          }
          result.put(number, header);
        }
      }
      if (!numberByRequestId.isEmpty()) {
        throw new ChainRpcException(
            "eth_getBlockByNumber batch: no answer for blocks " + numberByRequestId.values());
      }
    }
    return result;
  }

  /**
   * Logs of {@code addresses} whose topic 0 is one of {@code topic0s}, in blocks {@code from..to}
   * inclusive, in chain order.
   */
  public List<RawLog> logs(
      long from, long to, Collection<Address> addresses, Collection<String> topic0s) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            addresses.stream().map(Address::value).toList());
    filter.addOptionalTopics(topic0s.toArray(String[]::new));
    EthLog answer = send("eth_getLogs(" + from + ".." + to + ")", web3j.ethGetLogs(filter));
    List<RawLog> logs = new ArrayList<>(answer.getLogs().size());
    for (EthLog.LogResult<?> result : answer.getLogs()) {
      if (!(result.get() instanceof Log log)) {
        throw new ChainRpcException("eth_getLogs answered a filter id instead of a log object");
      }
      logs.add(RawLog.of(log));
    }
    return logs;
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  private Request<?, EthBlock> blockRequest(long number) {
    return web3j.ethGetBlockByNumber(
        DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false);
  }

  private static BlockHeader toHeader(EthBlock.Block block) {
    return new BlockHeader(
        block.getNumber().longValueExact(),
        block.getHash(),
        block.getParentHash(),
        block.getTimestamp().longValueExact());
  }

  private static <R extends Response<?>> R send(String method, Request<?, R> request) {
    R response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new ChainRpcException(method + " failed: " + e.getMessage(), e);
    }
    if (response.hasError()) {
      throw rpcError(method, response);
    }
    return response;
  }

  private static List<? extends Response<?>> sendBatch(BatchRequest batch) {
    BatchResponse response;
    try {
      response = batch.send();
    } catch (IOException e) {
      throw new ChainRpcException("JSON-RPC batch failed: " + e.getMessage(), e);
    }
    if (response == null) {
      throw new ChainRpcException("JSON-RPC batch got no answer");
    }
    return response.getResponses();
  }

  private static ChainRpcException rpcError(String method, Response<?> response) {
    return new ChainRpcException(
        method
            + " answered error "
            + response.getError().getCode()
            + ": "
            + response.getError().getMessage());
  }
}
