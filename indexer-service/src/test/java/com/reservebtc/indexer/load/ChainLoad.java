package com.reservebtc.indexer.load;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills an Anvil chain with many protocol events fast: raw transactions signed here on several
 * threads, sent in JSON-RPC batches to a node whose automine is off, and packed many to a block
 * with {@code evm_mine}. Every user first gets a fee-vault deposit (one Deposited log) from one of
 * several dev accounts; then the committee alternates each user's balance between two values, so
 * every {@code sync} emits three logs (rBTC-SYNTH Transfer, FeeVault Spent, Synced).
 *
 * <p>Test and benchmark support only: uses Anvil's publicly known development keys and Anvil-only
 * RPC methods. Not thread-safe.
 */
public final class ChainLoad implements AutoCloseable {

  /** Anvil's well-known development mnemonic (DEV ONLY). */
  private static final String DEV_MNEMONIC =
      "test test test test test test test test test test test junk";

  private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
  private static final BigInteger DEPOSIT_GAS = BigInteger.valueOf(100_000);
  private static final BigInteger SYNC_GAS = BigInteger.valueOf(400_000);
  private static final BigInteger DEPOSIT_WEI = BigInteger.TEN.pow(18);
  private static final int SYNCS_PER_USER = 400;
  private static final int RPC_BATCH = 250;
  private static final String SYNC_SELECTOR = selector("sync(address,uint64,bytes)");
  private static final String DEPOSIT_SELECTOR = selector("depositETH(address)");

  private final URI rpc;
  private final long chainId;
  private final ProtocolDeployment deployment;
  private final HttpClient http = HttpClient.newBuilder().build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final ExecutorService signers;
  private final List<Credentials> funders;
  private final Credentials committee;
  private final long userSeed;
  private int users;
  private long[] lastSats = new long[0];
  private long syncsSent;

  /**
   * @param userSeed distinguishes the users of one load from those of another on the same chain
   */
  public ChainLoad(String rpcUrl, long chainId, ProtocolDeployment deployment, long userSeed) {
    this.rpc = URI.create(rpcUrl);
    this.chainId = chainId;
    this.deployment = deployment;
    this.userSeed = userSeed;
    byte[] seed = MnemonicUtils.generateSeed(DEV_MNEMONIC, "");
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
    List<Credentials> accounts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int[] path = {
        44 | Bip32ECKeyPair.HARDENED_BIT,
        60 | Bip32ECKeyPair.HARDENED_BIT,
        Bip32ECKeyPair.HARDENED_BIT,
        0,
        i
      };
      accounts.add(Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path)));
    }
    this.committee = accounts.get(0);
    if (!committee.getAddress().equalsIgnoreCase(deployment.committee())) {
      throw new IllegalArgumentException(
          "the deployment's committee " + deployment.committee() + " is not dev account 0");
    }
    this.funders = accounts.subList(1, accounts.size());
    this.signers =
        Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * What a load added to the chain.
   *
   * @param deposits FeeVault Deposited logs
   * @param syncs sync transactions, each with one rBTC-SYNTH Transfer, FeeVault Spent and Synced
   */
  public record Generated(long deposits, long syncs, long firstBlock, long lastBlock) {

    public long logs() {
      return deposits + 3 * syncs;
    }

    public long transactions() {
      return deposits + syncs;
    }
  }

  /**
   * Adds at least {@code minLogs} consumed logs in blocks of at most {@code txsPerBlock}
   * transactions and leaves automine off.
   */
  public Generated generate(long minLogs, int txsPerBlock) throws IOException {
    call("evm_setAutomine", List.of(false));
    call("anvil_setBlockGasLimit", List.of("0x" + Long.toHexString(4_000_000_000L)));
    long first = blockNumber() + 1;
    long syncs = Math.max(1, (minLogs + 2) / 3);
    int neededUsers = (int) Math.min(Integer.MAX_VALUE, (syncsSent + syncs) / SYNCS_PER_USER + 1);
    long deposits = 0;
    if (neededUsers > users) {
      List<String> signed = signDeposits(users, neededUsers);
      sendInBlocks(signed, txsPerBlock);
      deposits = signed.size();
      users = neededUsers;
    }
    List<String> signed = signSyncs(syncsSent, syncs);
    sendInBlocks(signed, txsPerBlock);
    syncsSent += syncs;
    return new Generated(deposits, syncs, first, blockNumber());
  }

  /** Turns Anvil's automine back on (it is off after {@link #generate}). */
  public void automine(boolean on) throws IOException {
    call("evm_setAutomine", List.of(on));
  }

  /** The transaction hash of a signed raw transaction. */
  public static String txHash(String rawTx) {
    return Hash.sha3(rawTx).toLowerCase(Locale.ROOT);
  }

  /** Signs a deposit for a fresh user; the caller sends and mines it. */
  public String nextDeposit() {
    List<String> one = signDeposits(users, users + 1);
    users++;
    return one.get(0);
  }

  public void sendBatch(List<String> rawTxs) throws IOException {
    ArrayNode batch = json.createArrayNode();
    int id = 0;
    for (String raw : rawTxs) {
      ObjectNode request = batch.addObject();
      request.put("jsonrpc", "2.0");
      request.put("id", id++);
      request.put("method", "eth_sendRawTransaction");
      request.putArray("params").add(raw);
    }
    JsonNode answer = post(batch.toString());
    for (JsonNode response : answer) {
      if (response.has("error")) {
        throw new IOException("eth_sendRawTransaction failed: " + response.get("error"));
      }
    }
  }

  public long blockNumber() throws IOException {
    return Long.decode(call("eth_blockNumber", List.of()).asString());
  }

  public JsonNode call(String method, List<?> params) throws IOException {
    ObjectNode request = json.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", 1);
    request.put("method", method);
    request.set("params", json.valueToTree(params));
    JsonNode answer = post(request.toString());
    if (answer.has("error")) {
      throw new IOException(method + " failed: " + answer.get("error"));
    }
    return answer.get("result");
  }

  @Override
  public void close() {
    signers.shutdownNow();
  }

  private void sendInBlocks(List<String> rawTxs, int txsPerBlock) throws IOException {
    for (int start = 0; start < rawTxs.size(); start += txsPerBlock) {
      List<String> block = rawTxs.subList(start, Math.min(rawTxs.size(), start + txsPerBlock));
      for (int b = 0; b < block.size(); b += RPC_BATCH) {
        sendBatch(block.subList(b, Math.min(block.size(), b + RPC_BATCH)));
      }
      call("evm_mine", List.of());
    }
    JsonNode pending = call("txpool_status", List.of());
    if (Long.decode(pending.get("pending").asString()) != 0) {
      throw new IOException("transactions left unmined: " + pending);
    }
  }

  private List<String> signDeposits(int fromUser, int toUser) {
    try {
      List<Future<String>> futures = new ArrayList<>();
      long[] nonces = new long[funders.size()];
      for (int i = 0; i < funders.size(); i++) {
        nonces[i] = nonce(funders.get(i).getAddress());
      }
      for (int u = fromUser; u < toUser; u++) {
        int funder = u % funders.size();
        Credentials from = funders.get(funder);
        BigInteger nonce = BigInteger.valueOf(nonces[funder]++);
        String data = DEPOSIT_SELECTOR + word(user(u));
        futures.add(
            signers.submit(
                () ->
                    sign(
                        RawTransaction.createTransaction(
                            nonce,
                            GAS_PRICE,
                            DEPOSIT_GAS,
                            deployment.feeVault(),
                            DEPOSIT_WEI,
                            data),
                        from)));
      }
      return collect(futures);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> signSyncs(long fromSync, long count) throws IOException {
    long nonce = nonce(committee.getAddress());
    List<Future<String>> futures = new ArrayList<>();
    if (lastSats.length < users) {
      lastSats = java.util.Arrays.copyOf(lastSats, users);
    }
    for (long s = fromSync; s < fromSync + count; s++) {
      int user = (int) (s % users);
      // Alternating up and down keeps every delta non-zero and every fee within the prepaid ETH.
      long sats = lastSats[user] == 60_000 ? 50_000 : 60_000;
      lastSats[user] = sats;
      String data =
          SYNC_SELECTOR + word(user(user)) + word(Long.toHexString(sats)) + word("60") + word("0");
      BigInteger n = BigInteger.valueOf(nonce++);
      futures.add(
          signers.submit(
              () ->
                  sign(
                      RawTransaction.createTransaction(
                          n,
                          GAS_PRICE,
                          SYNC_GAS,
                          deployment.oracleAggregator(),
                          BigInteger.ZERO,
                          data),
                      committee)));
    }
    return collect(futures);
  }

  private String sign(RawTransaction tx, Credentials from) {
    return Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from));
  }

  private long nonce(String address) throws IOException {
    return Long.decode(call("eth_getTransactionCount", List.of(address, "pending")).asString());
  }

  private String user(long index) {
    // Distinct, valid, never a dev account: 0xA11CE... followed by seed and index.
    return String.format(Locale.ROOT, "a11ce%015x%020x", userSeed & 0xfffffffffffffffL, index);
  }

  private static List<String> collect(List<Future<String>> futures) {
    List<String> result = new ArrayList<>(futures.size());
    try {
      for (Future<String> future : futures) {
        result.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return result;
  }

  private JsonNode post(String body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(rpc)
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
      }
      return json.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String word(String hex) {
    String digits = hex.startsWith("0x") ? hex.substring(2) : hex;
    return "0".repeat(64 - digits.length()) + digits;
  }

  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }
}
