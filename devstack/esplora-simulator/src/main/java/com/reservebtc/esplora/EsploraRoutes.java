package com.reservebtc.esplora;

import java.util.Arrays;
import java.util.Locale;

/**
 * The read-only Esplora REST endpoints, answering with real Esplora's status codes, content types
 * and messages:
 *
 * <ul>
 *   <li>{@code GET /blocks/tip/height} and {@code /blocks/tip/hash}: plain text
 *   <li>{@code GET /block-height/{h}}: plain text hash; 404 {@code Block not found} above the tip
 *   <li>{@code GET /block/{hash}}: block JSON; 404 for unknown or orphaned blocks
 *   <li>{@code GET /block/{hash}/status}: {@code {in_best_chain, height, next_best}}
 *   <li>{@code GET /address/{a}}: chain_stats / mempool_stats
 *   <li>{@code GET /address/{a}/utxo}: unspent outputs with confirmation status
 *   <li>{@code GET /address/{a}/txs}: mempool transactions, then the first confirmed page
 *   <li>{@code GET /address/{a}/txs/chain[/{lastSeenTxid}]}: confirmed transactions, newest first,
 *       25 per page
 *   <li>{@code GET /tx/{txid}/status}: confirmation status
 *   <li>{@code GET /mempool/txids}: pending txids
 * </ul>
 *
 * Errors are plain text: 400 for malformed input (e.g. {@code Invalid Bitcoin address}), 404 for
 * unknown objects and endpoints.
 */
final class EsploraRoutes {
  private final ChainState chain;
  private final AddressValidator addresses;

  EsploraRoutes(ChainState chain, AddressValidator addresses) {
    this.chain = chain;
    this.addresses = addresses;
  }

  HttpResponse handle(String method, String path) {
    String[] p = segments(path);
    if (!"GET".equals(method)) {
      throw endpointDoesNotExist(path);
    }
    if (is(p, "blocks", "tip", "height")) {
      return HttpResponse.text(200, Integer.toString(chain.tip().height()));
    }
    if (is(p, "blocks", "tip", "hash")) {
      return HttpResponse.text(200, chain.tip().hash());
    }
    if (p.length == 2 && p[0].equals("block-height")) {
      return HttpResponse.text(
          200,
          chain
              .hashAt(parseHeight(p[1]))
              .orElseThrow(() -> HttpProblem.notFound("Block not found")));
    }
    if (p.length == 2 && p[0].equals("block")) {
      return HttpResponse.json(
          200,
          chain
              .blockInfo(parseHash(p[1], "Invalid hash string"))
              .orElseThrow(() -> HttpProblem.notFound("Block not found")));
    }
    if (p.length == 3 && p[0].equals("block") && p[2].equals("status")) {
      return HttpResponse.json(200, chain.blockStatus(parseHash(p[1], "Invalid hash string")));
    }
    if (p.length == 2 && p[0].equals("address")) {
      return HttpResponse.json(200, chain.addressInfo(p[1], addresses.canonical(p[1])));
    }
    if (p.length == 3 && p[0].equals("address") && p[2].equals("utxo")) {
      return HttpResponse.json(200, chain.utxos(addresses.canonical(p[1])));
    }
    if (p.length == 3 && p[0].equals("address") && p[2].equals("txs")) {
      return HttpResponse.json(200, chain.addressTxs(addresses.canonical(p[1])));
    }
    if ((p.length == 4 || p.length == 5)
        && p[0].equals("address")
        && p[2].equals("txs")
        && p[3].equals("chain")) {
      String lastSeen = p.length == 5 ? parseHash(p[4], "Invalid hex string") : null;
      return HttpResponse.json(200, chain.chainTxs(addresses.canonical(p[1]), lastSeen));
    }
    if (p.length == 3 && p[0].equals("tx") && p[2].equals("status")) {
      return HttpResponse.json(200, chain.txStatus(parseHash(p[1], "Invalid hex string")));
    }
    if (is(p, "mempool", "txids")) {
      return HttpResponse.json(200, chain.mempoolTxids());
    }
    throw endpointDoesNotExist(path);
  }

  static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }

  private static boolean is(String[] p, String... expected) {
    return Arrays.equals(p, expected);
  }

  private static int parseHeight(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      throw new HttpProblem(400, "Invalid number");
    }
    return Integer.parseInt(value);
  }

  private static String parseHash(String value, String message) {
    if (!Hashes.isHash(value)) {
      throw new HttpProblem(400, message);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static HttpProblem endpointDoesNotExist(String path) {
    return HttpProblem.notFound("endpoint does not exist \"" + path + "\"");
  }
}
