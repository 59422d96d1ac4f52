package com.reservebtc.indexer.chain;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The indexer's only door to the EVM node: JSON-RPC over HTTP to one or more endpoints (see {@link
 * RpcEndpoints} for fail-over and back-off). Answers are parsed as a stream straight into the
 * indexer's own types ({@link BlockHeader}, {@link RawLog}), so no intermediate objects are built
 * for large eth_getLogs answers.
 *
 * <p>Guarantees: a method either returns what a node answered or throws {@link ChainRpcException}
 * ({@link LogRangeTooLargeException} when a node refuses a log range as too large); a missing block
 * is an empty result, never an invented one. Header lookups of many blocks go out as JSON-RPC
 * batches of at most {@code batchSize} calls, matched to their answers by id. Does not guarantee
 * that two calls see the same chain (or the same endpoint): callers check hashes. Thread-safe.
 */
public final class ChainClient implements AutoCloseable {

  private static final JsonFactory JSON = new JsonFactory();
  // Reads one value out of a larger answer, so what follows it is not an error.
  private static final JsonMapper TREES =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** Reads one JSON-RPC result; the parser stands on the value's first token. */
  @FunctionalInterface
  private interface ResultReader<T> {
    T read(JsonParser parser) throws RpcFailure;
  }

  /** Default bound of logs one eth_getLogs answer of several blocks may bring into the heap. */
  public static final int DEFAULT_MAX_LOGS_PER_RESPONSE = 20_000;

  /** Default bound of bytes one eth_getLogs answer of several blocks may stream in. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  private final RpcEndpoints endpoints;
  private final int batchSize;
  private final int maxLogsPerResponse;
  private final long maxResponseBytes;
  private final AtomicLong ids = new AtomicLong();

  public ChainClient(
      List<String> rpcUrls,
      Duration timeout,
      Duration retryBudget,
      int batchSize,
      RpcObserver observer) {
    this(
        rpcUrls,
        timeout,
        retryBudget,
        batchSize,
        DEFAULT_MAX_LOGS_PER_RESPONSE,
        DEFAULT_MAX_RESPONSE_BYTES,
        observer);
  }

  /**
   * @param maxLogsPerResponse an eth_getLogs answer over several blocks with more logs is refused
   *     as too large ({@link LogRangeTooLargeException}) while it is read, so the range is split
   *     instead of filling the heap; a single block's logs are always read whole
   * @param maxResponseBytes the same bound in bytes of the answer
   */
  public ChainClient(
      List<String> rpcUrls,
      Duration timeout,
      Duration retryBudget,
      int batchSize,
      int maxLogsPerResponse,
      long maxResponseBytes,
      RpcObserver observer) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    if (maxLogsPerResponse < 1 || maxResponseBytes < 1) {
      throw new IllegalArgumentException("response bounds must be >= 1");
    }
    this.endpoints = new RpcEndpoints(rpcUrls, timeout, retryBudget, observer);
    this.batchSize = batchSize;
    this.maxLogsPerResponse = maxLogsPerResponse;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** Display names of the endpoints (no paths or keys), in preference order. */
  public List<String> endpointNames() {
    return endpoints.names();
  }

  public List<EndpointStatus> endpointStatus() {
    return endpoints.status();
  }

  public long chainId() {
    return call("eth_chainId", "[]", ChainClient::hexLong);
  }

  public long headNumber() {
    return call("eth_blockNumber", "[]", ChainClient::hexLong);
  }

  /** The canonical block at {@code number}, or empty if the node has no such block (yet). */
  public Optional<BlockHeader> header(long number) {
    BlockHeader header =
        call("eth_getBlockByNumber", blockParams(number), ChainClient::headerOrNull);
    if (header != null && header.number() != number) {
      throw new ChainRpcException(
          "eth_getBlockByNumber(" + number + ") answered block " + header.number());
    }
    return Optional.ofNullable(header);
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
      Map<Long, Long> numberById = new HashMap<>();
      StringBuilder body = new StringBuilder(chunk.size() * 100).append('[');
      for (long number : chunk) {
        long id = ids.incrementAndGet();
        numberById.put(id, number);
        if (body.length() > 1) {
          body.append(',');
        }
        appendRequest(body, id, "eth_getBlockByNumber", blockParams(number));
      }
      body.append(']');
      Map<Long, ResultReader<?>> readers = new HashMap<>();
      numberById.keySet().forEach(id -> readers.put(id, ChainClient::headerOrNull));
      Map<Long, Object> byId =
          endpoints.call(
              "eth_getBlockByNumber batch", bytes(body), in -> readBatch(in, readers, Set.of()));
      byId.forEach(
          (id, answer) -> {
            long number = numberById.get(id);
            if (!(answer instanceof BlockHeader header)) {
              return;
            }
            if (header.number() != number) {
              throw new ChainRpcException(
                  "eth_getBlockByNumber(" + number + ") answered block " + header.number());
            }
            result.put(number, header);
          });
    }
    return result;
  }

  /**
   * Logs of {@code addresses} whose topic 0 is one of {@code topic0s}, in blocks {@code from..to}
   * inclusive, in the order the node returned them.
   *
   * @throws LogRangeTooLargeException if the node refuses the range as too large
   */
  public List<RawLog> logs(
      long from, long to, Collection<Address> addresses, Collection<String> topic0s) {
    return call(
        "eth_getLogs(" + from + ".." + to + ")",
        logParams(from, to, addresses, topic0s),
        logsReader(from, to));
  }

  /**
   * The logs of {@code addresses} with one of {@code topic0s} of each block in {@code blockHashes}
   * (EIP-234 {@code eth_getLogs} by block hash, one JSON-RPC batch): exactly the logs of that
   * block, whatever the node's canonical chain is now.
   *
   * @throws ChainRpcException if the node does not know one of the blocks (any more)
   */
  public Map<String, List<RawLog>> logsOfBlocks(
      Collection<String> blockHashes, Collection<Address> addresses, Collection<String> topic0s) {
    List<String> hashes = blockHashes.stream().distinct().toList();
    Map<String, List<RawLog>> result = new HashMap<>();
    for (int start = 0; start < hashes.size(); start += batchSize) {
      List<String> chunk = hashes.subList(start, Math.min(hashes.size(), start + batchSize));
      Map<Long, String> hashById = new HashMap<>();
      Map<Long, ResultReader<?>> readers = new HashMap<>();
      StringBuilder body = new StringBuilder(chunk.size() * 300).append('[');
      for (String hash : chunk) {
        long id = ids.incrementAndGet();
        hashById.put(id, hash);
        readers.put(id, logsReader(0, 0));
        if (body.length() > 1) {
          body.append(',');
        }
        appendRequest(body, id, "eth_getLogs", hashLogParams(hash, addresses, topic0s));
      }
      body.append(']');
      Map<Long, Object> byId =
          endpoints.call(
              "eth_getLogs by block hash", bytes(body), in -> readBatch(in, readers, Set.of()));
      byId.forEach(
          (id, answer) -> {
            @SuppressWarnings("unchecked")
            List<RawLog> logs = answer == null ? List.of() : (List<RawLog>) answer;
            String hash = hashById.get(id);
            for (RawLog log : logs) {
              if (!log.blockHash().equals(hash)) {
                throw new ChainRpcException(
                    "eth_getLogs by block hash " + hash + " answered a log of " + log.blockHash());
              }
            }
            result.put(hash, logs);
          });
    }
    return result;
  }

  /**
   * The node's {@code safe} and {@code finalized} blocks, asked in one batch; a tag the node does
   * not support is absent.
   */
  public FinalityTags finalityTags() {
    long safeId = ids.incrementAndGet();
    long finalizedId = ids.incrementAndGet();
    StringBuilder body = new StringBuilder(200).append('[');
    appendRequest(body, safeId, "eth_getBlockByNumber", "[\"safe\",false]");
    body.append(',');
    appendRequest(body, finalizedId, "eth_getBlockByNumber", "[\"finalized\",false]");
    body.append(']');
    Map<Long, ResultReader<?>> readers =
        Map.of(safeId, ChainClient::headerOrNull, finalizedId, ChainClient::headerOrNull);
    Map<Long, Object> answers =
        endpoints.call(
            "eth_getBlockByNumber(safe, finalized)",
            bytes(body),
            in -> readBatch(in, readers, Set.of(safeId, finalizedId)));
    return new FinalityTags(
        (BlockHeader) answers.get(safeId), (BlockHeader) answers.get(finalizedId));
  }

  /**
   * The node's {@code safe} and {@code finalized} blocks; null where the node has no such tag (or
   * no such block yet).
   */
  public record FinalityTags(BlockHeader safe, BlockHeader finalized) {

    public static final FinalityTags NONE = new FinalityTags(null, null);
  }

  /**
   * The blocks at both ends of {@code from..to} and the logs in between, asked of one endpoint in
   * one batch. An endpoint that does not have block {@code to} yet (one lagging behind a load
   * balancer, say) would silently answer a partial log list; asking for the header in the same
   * batch exposes that, and the batch goes to another endpoint (or is asked again).
   *
   * @throws LogRangeTooLargeException if the node refuses the range as too large
   */
  public LogSlice logSlice(
      long from, long to, Collection<Address> addresses, Collection<String> topic0s) {
    return logSlice(from, to, addresses, topic0s, List.of(), false);
  }

  public LogSlice logSlice(
      long from,
      long to,
      Collection<Address> addresses,
      Collection<String> topic0s,
      Collection<Long> moreBlocks) {
    return logSlice(from, to, addresses, topic0s, moreBlocks, false);
  }

  /**
   * Like {@link #logSlice(long, long, Collection, Collection)}, with the headers of {@code
   * moreBlocks} fetched in the same batch (as far as the batch size allows; the rest before it).
   * Blocks the node does not have are absent from the headers. With {@code finalityTags}, the
   * node's {@code safe} and {@code finalized} blocks come in the same batch ({@link
   * LogSlice#tags()}; a tag the node does not support is null there, not an error).
   */
  public LogSlice logSlice(
      long from,
      long to,
      Collection<Address> addresses,
      Collection<String> topic0s,
      Collection<Long> moreBlocks,
      boolean finalityTags) {
    List<Long> extra =
        moreBlocks.stream().filter(n -> n != from && n != to).distinct().sorted().toList();
    int room = Math.max(0, batchSize - 3);
    Map<Long, BlockHeader> headers = new TreeMap<>();
    if (extra.size() > room) {
      headers.putAll(headers(extra.subList(0, extra.size() - room)));
      extra = extra.subList(extra.size() - room, extra.size());
    }
    Map<Long, ResultReader<?>> readers = new HashMap<>();
    Map<Long, Long> extraById = new HashMap<>();
    StringBuilder body = new StringBuilder(512 + 100 * extra.size()).append('[');
    for (long number : extra) {
      long id = ids.incrementAndGet();
      extraById.put(id, number);
      readers.put(id, ChainClient::headerOrNull);
      appendRequest(body, id, "eth_getBlockByNumber", blockParams(number));
      body.append(',');
    }
    long toId = ids.incrementAndGet();
    readers.put(toId, ChainClient::headerOrNull);
    appendRequest(body, toId, "eth_getBlockByNumber", blockParams(to));
    long fromId = toId;
    if (from != to) {
      fromId = ids.incrementAndGet();
      readers.put(fromId, ChainClient::headerOrNull);
      body.append(',');
      appendRequest(body, fromId, "eth_getBlockByNumber", blockParams(from));
    }
    long safeId = -1;
    long finalizedId = -1;
    if (finalityTags) {
      safeId = ids.incrementAndGet();
      finalizedId = ids.incrementAndGet();
      readers.put(safeId, ChainClient::headerOrNull);
      readers.put(finalizedId, ChainClient::headerOrNull);
      body.append(',');
      appendRequest(body, safeId, "eth_getBlockByNumber", "[\"safe\",false]");
      body.append(',');
      appendRequest(body, finalizedId, "eth_getBlockByNumber", "[\"finalized\",false]");
    }
    Set<Long> optional = finalityTags ? Set.of(safeId, finalizedId) : Set.of();
    long logsId = -1;
    if (!addresses.isEmpty()) {
      // An empty address list would mean every contract on the chain.
      logsId = ids.incrementAndGet();
      readers.put(logsId, logsReader(from, to));
      body.append(',');
      appendRequest(body, logsId, "eth_getLogs", logParams(from, to, addresses, topic0s));
    }
    body.append(']');
    long first = fromId;
    long logs = logsId;
    long safe = safeId;
    long finalized = finalizedId;
    return endpoints.call(
        "eth_getLogs(" + from + ".." + to + ")",
        bytes(body),
        in -> {
          Map<Long, Object> answers = readBatch(in, readers, optional);
          BlockHeader last = (BlockHeader) answers.get(toId);
          BlockHeader firstHeader = (BlockHeader) answers.get(first);
          if (last == null || firstHeader == null) {
            throw new RpcFailure(
                RpcErrorKind.UNAVAILABLE,
                "the node does not have block " + (last == null ? to : from) + " yet");
          }
          if (last.number() != to || firstHeader.number() != from) {
            throw malformed("asked for blocks " + from + " and " + to + ", got others");
          }
          @SuppressWarnings("unchecked")
          List<RawLog> found = logs < 0 ? List.of() : (List<RawLog>) answers.get(logs);
          Map<Long, BlockHeader> all = new TreeMap<>(headers);
          all.put(from, firstHeader);
          all.put(to, last);
          for (Map.Entry<Long, Long> e : extraById.entrySet()) {
            if (answers.get(e.getKey()) instanceof BlockHeader header) {
              if (header.number() != e.getValue()) {
                throw malformed("asked for block " + e.getValue() + ", got " + header.number());
              }
              all.put(header.number(), header);
            }
          }
          FinalityTags tags =
              finalityTags
                  ? new FinalityTags(
                      (BlockHeader) answers.get(safe), (BlockHeader) answers.get(finalized))
                  : FinalityTags.NONE;
          return new LogSlice(all, found, from, to, tags);
        });
  }

  /**
   * The logs of blocks {@code from..to} and headers (at least of both ends), as one endpoint saw
   * them at once.
   */
  public record LogSlice(
      Map<Long, BlockHeader> headers, List<RawLog> logs, long from, long to, FinalityTags tags) {

    public LogSlice(Map<Long, BlockHeader> headers, List<RawLog> logs, long from, long to) {
      this(headers, logs, from, to, FinalityTags.NONE);
    }

    public BlockHeader first() {
      return headers.get(from);
    }

    public BlockHeader last() {
      return headers.get(to);
    }
  }

  /**
   * Stops retrying: calls in progress or later fail at once instead of waiting out back-offs
   * (OkHttp's pooled connections and threads are daemons that end on their own).
   */
  @Override
  public void close() {
    endpoints.close();
  }

  private <T> T call(String method, String params, ResultReader<T> reader) {
    long id = ids.incrementAndGet();
    StringBuilder body = new StringBuilder(96 + params.length());
    String name = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
    appendRequest(body, id, name, params);
    return endpoints.call(
        method,
        bytes(body),
        in -> {
          try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
              throw malformed("the answer is not a JSON object");
            }
            Response<T> response = readResponse(parser, any -> reader);
            if (response.error() != null) {
              // Some endpoints answer errors with a null id.
              throw response.error();
            }
            if (response.id() != id) {
              throw malformed("answer id " + response.id() + " for request id " + id);
            }
            return response.orThrow();
          }
        });
  }

  /**
   * Reads a batch answer; each request id has its reader. Results may be null (JSON null); an error
   * answered for an {@code optional} id is a null result too.
   */
  private static Map<Long, Object> readBatch(
      InputStream in, Map<Long, ResultReader<?>> readers, Set<Long> optional) throws RpcFailure {
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), in)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_OBJECT) {
        // Some endpoints answer a whole batch with one error (batch too large, rate limited).
        readResponse(parser, id -> ChainClient::skip).orThrow();
        throw malformed("a batch answered with a single result");
      }
      if (first != JsonToken.START_ARRAY) {
        throw malformed("the batch answer is not a JSON array");
      }
      Map<Long, Object> results = new HashMap<>();
      RpcFailure firstError = null;
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        Response<Object> response = readResponse(parser, id -> readerOf(readers, id));
        if (!readers.containsKey(response.id())) {
          throw malformed("batch answer with unknown id " + response.id());
        }
        if (response.error() != null && optional.contains(response.id())) {
          results.put(response.id(), null);
        } else if (response.error() != null) {
          firstError = firstError == null ? response.error() : firstError;
        } else {
          results.put(response.id(), response.result());
        }
      }
      if (firstError != null) {
        throw firstError;
      }
      if (results.size() != readers.size()) {
        throw malformed("batch answered " + results.size() + " of " + readers.size() + " requests");
      }
      return results;
    }
  }

  private record Response<T>(long id, T result, RpcFailure error) {
    T orThrow() throws RpcFailure {
      if (error != null) {
        throw error;
      }
      return result;
    }
  }

  /**
   * Reads one response object; the parser stands on its START_OBJECT and ends on END_OBJECT. The
   * result is read by the reader for the response's id; a result sent before the id (JSON does not
   * order fields) is buffered as a tree first.
   */
  private static <T> Response<T> readResponse(
      JsonParser parser, LongFunction<ResultReader<? extends T>> readerForId) throws RpcFailure {
    long id = -1;
    boolean idSeen = false;
    T result = null;
    JsonNode early = null;
    boolean hasResult = false;
    RpcFailure error = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> {
          id = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
          idSeen = true;
        }
        case "result" -> {
          if (idSeen) {
            result = readerForId.apply(id).read(parser);
          } else {
            early = TREES.readTree(parser);
          }
          hasResult = true;
        }
        case "error" -> error = readError(parser);
        default -> parser.skipChildren();
      }
    }
    if (early != null) {
      try (JsonParser buffered = TREES.treeAsTokens(early)) {
        buffered.nextToken();
        result = readerForId.apply(id).read(buffered);
      }
    }
    if (error == null && !hasResult) {
      error = malformed("an answer with neither result nor error");
    }
    return new Response<>(id, result, error);
  }

  private static ResultReader<?> readerOf(Map<Long, ResultReader<?>> readers, long id) {
    ResultReader<?> reader = readers.get(id);
    return reader != null ? reader : ChainClient::skip;
  }

  private static Object skip(JsonParser parser) {
    parser.skipChildren();
    return null;
  }

  private static RpcFailure readError(JsonParser parser) {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      String text = parser.getValueAsString();
      parser.skipChildren();
      return new RpcFailure(RpcErrorKind.ofJsonRpcError(0, text), "JSON-RPC error " + text);
    }
    long code = 0;
    String message = "";
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("code") && value == JsonToken.VALUE_NUMBER_INT) {
        code = parser.getLongValue();
      } else if (field.equals("message") && value == JsonToken.VALUE_STRING) {
        message = parser.getString();
      } else {
        parser.skipChildren();
      }
    }
    return new RpcFailure(
        RpcErrorKind.ofJsonRpcError(code, message), "error " + code + ": " + message);
  }

  private static long hexLong(JsonParser parser) throws RpcFailure {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw malformed("expected a hex quantity, got " + parser.currentToken());
    }
    return parseQuantity(parser.getString());
  }

  private static BlockHeader headerOrNull(JsonParser parser) throws RpcFailure {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw malformed("expected a block object, got " + parser.currentToken());
    }
    long number = -1;
    long timestamp = -1;
    String hash = null;
    String parentHash = null;
    LogsBloom bloom = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "number" -> number = parseQuantity(parser.getString());
        case "hash" -> hash = parser.getString();
        case "parentHash" -> parentHash = parser.getString();
        case "timestamp" -> timestamp = parseQuantity(parser.getString());
        case "logsBloom" -> {
          if (value == JsonToken.VALUE_STRING) {
            try {
              bloom = LogsBloom.parse(parser.getString());
            } catch (IllegalArgumentException e) {
              throw malformed("malformed block: " + e.getMessage());
            }
          }
        }
        default -> parser.skipChildren();
      }
    }
    try {
      return new BlockHeader(number, hash, parentHash, timestamp, bloom);
    } catch (IllegalArgumentException e) {
      throw malformed("malformed block: " + e.getMessage());
    }
  }

  /**
   * Reads an eth_getLogs result; over several blocks bounded by {@code maxLogsPerResponse} logs and
   * {@code maxResponseBytes} bytes: past either bound the answer is abandoned as too large (so the
   * range is split), before it fills the heap.
   */
  private ResultReader<List<RawLog>> logsReader(long from, long to) {
    if (from == to) {
      return parser -> readLogs(parser, Integer.MAX_VALUE, Long.MAX_VALUE);
    }
    return parser -> readLogs(parser, maxLogsPerResponse, maxResponseBytes);
  }

  private static List<RawLog> readLogs(JsonParser parser, int maxLogs, long maxBytes)
      throws RpcFailure {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw malformed("eth_getLogs answered " + parser.currentToken() + " instead of an array");
    }
    List<RawLog> logs = new ArrayList<>();
    Repeats repeats = new Repeats();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        throw malformed("eth_getLogs answered a filter id instead of log objects");
      }
      logs.add(readLog(parser, repeats));
      if (logs.size() > maxLogs || parser.currentLocation().getByteOffset() > maxBytes) {
        throw new RpcFailure(
            RpcErrorKind.RANGE_TOO_LARGE,
            "the answer passed "
                + (logs.size() > maxLogs ? maxLogs + " logs" : maxBytes + " bytes")
                + " (rbtc.indexer.max-logs-per-response / max-response-bytes); reading it was"
                + " abandoned");
      }
    }
    return logs;
  }

  /**
   * The block hash, transaction hash and contract of the previous log of one answer. Consecutive
   * logs mostly share them (hundreds of logs per block, several per transaction, a handful of
   * contracts), so an equal value is compared in the parser's buffer and the previous, already
   * validated, instance reused: fewer strings to allocate, validate and keep in the heap while the
   * records wait for their transaction.
   */
  private static final class Repeats {
    String blockHash;
    String txHash;
    String addressText;
    Address address;

    /** The current string token, or {@code previous} when it has the same characters. */
    static String text(JsonParser parser, String previous) {
      if (previous != null && parser.hasStringCharacters()) {
        int length = parser.getStringLength();
        if (length == previous.length()) {
          char[] chars = parser.getStringCharacters();
          int offset = parser.getStringOffset();
          int i = 0;
          while (i < length && chars[offset + i] == previous.charAt(i)) {
            i++;
          }
          if (i == length) {
            return previous;
          }
        }
      }
      return parser.getString();
    }
  }

  private static RawLog readLog(JsonParser parser, Repeats repeats) throws RpcFailure {
    String address = null;
    List<String> topics = List.of();
    String data = null;
    long blockNumber = -1;
    String blockHash = null;
    String txHash = null;
    long logIndex = -1;
    long blockTimestamp = -1;
    boolean removed = false;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "address" -> address = Repeats.text(parser, repeats.addressText);
        case "topics" -> {
          topics = new ArrayList<>(4);
          while (parser.nextToken() == JsonToken.VALUE_STRING) {
            topics.add(parser.getString());
          }
        }
        case "data" -> data = parser.getString();
        case "blockNumber" -> blockNumber = parseQuantity(parser.getString());
        case "blockHash" -> blockHash = Repeats.text(parser, repeats.blockHash);
        case "transactionHash" -> txHash = Repeats.text(parser, repeats.txHash);
        case "logIndex" -> logIndex = parseQuantity(parser.getString());
        case "blockTimestamp" -> blockTimestamp = parseQuantity(parser.getString());
        case "removed" -> removed = value == JsonToken.VALUE_TRUE;
        default -> parser.skipChildren();
      }
    }
    if (removed) {
      throw malformed("eth_getLogs answered a removed log of transaction " + txHash);
    }
    if (blockHash == null || blockNumber < 0) {
      throw malformed("eth_getLogs answered a pending log of transaction " + txHash);
    }
    try {
      Address contract =
          address != null && address == repeats.addressText ? repeats.address : Address.of(address);
      RawLog log =
          new RawLog(
              contract,
              topics,
              data,
              blockNumber,
              blockHash,
              txHash,
              Math.toIntExact(logIndex),
              blockTimestamp);
      repeats.addressText = address;
      repeats.address = contract;
      repeats.blockHash = log.blockHash();
      repeats.txHash = log.txHash();
      return log;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw malformed("malformed log of transaction " + txHash + ": " + e.getMessage());
    }
  }

  private static long parseQuantity(String hex) throws RpcFailure {
    if (hex == null || !hex.startsWith("0x") || hex.length() < 3 || hex.length() > 18) {
      throw malformed("not a hex quantity: " + hex);
    }
    try {
      long value = Long.parseUnsignedLong(hex, 2, hex.length(), 16);
      if (value < 0) {
        throw malformed("quantity out of range: " + hex);
      }
      return value;
    } catch (NumberFormatException e) {
      throw malformed("not a hex quantity: " + hex);
    }
  }

  private static RpcFailure malformed(String problem) {
    return new RpcFailure(RpcErrorKind.UNAVAILABLE, "malformed answer: " + problem);
  }

  private static String logParams(
      long from, long to, Collection<Address> addresses, Collection<String> topic0s) {
    StringBuilder params = new StringBuilder(256 + 45 * addresses.size() + 70 * topic0s.size());
    params.append("[{\"fromBlock\":\"").append(hex(from)).append("\",\"toBlock\":\"");
    params.append(hex(to)).append("\",\"address\":[");
    int i = 0;
    for (Address address : addresses) {
      params.append(i++ == 0 ? "\"" : ",\"").append(address.value()).append('"');
    }
    params.append("],\"topics\":[[");
    i = 0;
    for (String topic : topic0s) {
      params.append(i++ == 0 ? "\"" : ",\"").append(topic).append('"');
    }
    return params.append("]]}]").toString();
  }

  private static String hashLogParams(
      String blockHash, Collection<Address> addresses, Collection<String> topic0s) {
    StringBuilder params = new StringBuilder(256 + 45 * addresses.size() + 70 * topic0s.size());
    params.append("[{\"blockHash\":\"").append(blockHash).append("\",\"address\":[");
    int i = 0;
    for (Address address : addresses) {
      params.append(i++ == 0 ? "\"" : ",\"").append(address.value()).append('"');
    }
    params.append("],\"topics\":[[");
    i = 0;
    for (String topic : topic0s) {
      params.append(i++ == 0 ? "\"" : ",\"").append(topic).append('"');
    }
    return params.append("]]}]").toString();
  }

  private static String blockParams(long number) {
    return "[\"" + hex(number) + "\",false]";
  }

  private static String hex(long number) {
    return "0x" + Long.toHexString(number);
  }

  private static void appendRequest(StringBuilder body, long id, String method, String params) {
    body.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id);
    body.append(",\"method\":\"").append(method).append("\",\"params\":").append(params);
    body.append('}');
  }

  private static byte[] bytes(StringBuilder text) {
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
