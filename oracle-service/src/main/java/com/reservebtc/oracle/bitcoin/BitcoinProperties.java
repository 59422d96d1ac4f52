package com.reservebtc.oracle.bitcoin;

import com.reservebtc.oracle.ownership.BtcNetwork;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Bitcoin balances come from and how strictly they are read. Defaults are documented in
 * application.yml.
 *
 * @param sources the Esplora sources, each with an alias (the only name it has in logs, metrics,
 *     records and APIs: its URL may carry an API key or credentials and never leaves the process)
 * @param esploraUrls a shorter way to list sources without aliases; they are named {@code
 *     source-1}, {@code source-2}, ... Ignored when {@code sources} is set.
 * @param quorum how many sources must agree on the block and on a balance before it counts; default
 *     all of them. More than half of the sources, so two disjoint groups can never both agree;
 *     outside regtest at least 2.
 * @param network the network whose addresses are accepted and whose chain every source must serve
 * @param minConfirmations a balance is the address's balance as of block {@code tip −
 *     min-confirmations + 1}: outputs and spends count only once that deep (at least 1)
 * @param connectTimeout TCP connect timeout per request
 * @param requestTimeout whole-request timeout; a slower answer is a failed observation
 * @param maxConcurrentRequests parallel requests per cycle across all sources
 * @param rateLimitRetries how often a 429 answer is retried (after its Retry-After) before the
 *     request fails
 * @param maxRetryAfter the longest Retry-After honoured; longer ones fail the request at once
 * @param maxTipRegression a source whose tip falls more than this many blocks below the highest tip
 *     it reported is excluded until it is back
 * @param stallTimeout a source that stays behind another source's tip without its own tip moving
 *     for longer than this is excluded until its tip moves again
 * @param networkCheckInterval how often each source's genesis block is checked again (it is always
 *     checked at start and before an unverified source is used)
 */
@ConfigurationProperties("rbtc.bitcoin")
public record BitcoinProperties(
    List<Source> sources,
    @DefaultValue("http://127.0.0.1:13002") List<URI> esploraUrls,
    Integer quorum,
    @DefaultValue("regtest") BtcNetwork network,
    @DefaultValue("1") int minConfirmations,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("5s") Duration requestTimeout,
    @DefaultValue("8") int maxConcurrentRequests,
    @DefaultValue("2") int rateLimitRetries,
    @DefaultValue("5s") Duration maxRetryAfter,
    @DefaultValue("6") int maxTipRegression,
    @DefaultValue("30m") Duration stallTimeout,
    @DefaultValue("10m") Duration networkCheckInterval) {

  private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public BitcoinProperties {
    sources = sources == null ? List.of() : List.copyOf(sources);
    esploraUrls = esploraUrls == null ? List.of() : List.copyOf(esploraUrls);
    List<Source> configured = configured(sources, esploraUrls);
    if (configured.isEmpty()) {
      throw new IllegalArgumentException(
          "no Bitcoin source is configured: set rbtc.bitcoin.sources[i].alias/url"
              + " (RBTC_BITCOIN_SOURCES_0_ALIAS, RBTC_BITCOIN_SOURCES_0_URL) or"
              + " rbtc.bitcoin.esplora-urls");
    }
    Set<String> aliases = new HashSet<>();
    for (Source source : configured) {
      if (!aliases.add(source.alias())) {
        throw new IllegalArgumentException(
            "two Bitcoin sources share the alias '" + source.alias() + "'; aliases must be unique");
      }
    }
    int n = configured.size();
    int k = quorum == null ? n : quorum;
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "rbtc.bitcoin.quorum must be 1.." + n + " (the number of sources), was " + k);
    }
    if (2 * k <= n) {
      throw new IllegalArgumentException(
          "rbtc.bitcoin.quorum "
              + k
              + " of "
              + n
              + " sources is not a majority: two groups of sources could each agree on a"
              + " different chain; use at least "
              + (n / 2 + 1));
    }
    if (network != null && network != BtcNetwork.REGTEST && (n < 2 || k < 2)) {
      throw new IllegalArgumentException(
          "outside regtest at least 2 Bitcoin sources must agree (rbtc.bitcoin.sources and"
              + " rbtc.bitcoin.quorum): "
              + n
              + " source(s) with quorum "
              + k
              + " would let one source decide what is minted or burned on "
              + network.id());
    }
    if (minConfirmations < 1) {
      throw new IllegalArgumentException(
          "rbtc.bitcoin.min-confirmations must be at least 1, was " + minConfirmations);
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("rbtc.bitcoin.max-concurrent-requests must be >= 1");
    }
    if (rateLimitRetries < 0) {
      throw new IllegalArgumentException("rbtc.bitcoin.rate-limit-retries must be >= 0");
    }
    if (maxTipRegression < 0) {
      throw new IllegalArgumentException("rbtc.bitcoin.max-tip-regression must be >= 0");
    }
  }

  /** The sources in configuration order, with their aliases. */
  public List<Source> configuredSources() {
    return configured(sources, esploraUrls);
  }

  /** How many sources must agree. */
  public int requiredAgreement() {
    return quorum == null ? configuredSources().size() : quorum;
  }

  private static List<Source> configured(List<Source> sources, List<URI> esploraUrls) {
    if (!sources.isEmpty()) {
      return sources;
    }
    List<Source> named = new ArrayList<>();
    for (int i = 0; i < esploraUrls.size(); i++) {
      named.add(new Source("source-" + (i + 1), esploraUrls.get(i)));
    }
    return named;
  }

  /** Never prints a source URL. */
  @Override
  public String toString() {
    return "BitcoinProperties[sources="
        + configuredSources().stream().map(Source::alias).toList()
        + ", quorum="
        + requiredAgreement()
        + ", network="
        + network
        + ", minConfirmations="
        + minConfirmations
        + "]";
  }

  /**
   * One Esplora source.
   *
   * @param alias its name everywhere outside this process: lower-case letters, digits and dashes
   * @param url its base URL (e.g. {@code https://blockstream.info/api}); may carry credentials or
   *     an API key, so it is never logged, published or shown
   */
  public record Source(String alias, URI url) {

    public Source {
      if (alias == null || !ALIAS.matcher(alias).matches()) {
        throw new IllegalArgumentException(
            "a Bitcoin source alias must be 1 to 32 lower-case letters, digits or dashes, was '"
                + alias
                + "'");
      }
      if (url == null
          || url.getScheme() == null
          || !Set.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))
          || url.getHost() == null) {
        // The URL itself is not repeated: it may hold a key.
        throw new IllegalArgumentException(
            "the URL of Bitcoin source '" + alias + "' must be an http(s) URL with a host");
      }
    }

    @Override
    public String toString() {
      return alias;
    }
  }
}
