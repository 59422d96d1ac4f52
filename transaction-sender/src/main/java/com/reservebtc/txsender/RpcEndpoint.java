package com.reservebtc.txsender;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A JSON-RPC endpoint whose URL may carry a provider key (in the path or query) or credentials
 * ({@code user:pass@}). Only {@link #redacted()} — scheme, host and port — is ever shown; {@link
 * #scrub(String)} removes the rest from texts that came from the HTTP client.
 */
public final class RpcEndpoint {

  private final String url;
  private final String redacted;

  private RpcEndpoint(String url, String redacted) {
    this.url = url;
    this.redacted = redacted;
  }

  /**
   * @param setting the setting's name, for the error message
   * @throws IllegalArgumentException if {@code url} is not an http(s) URL with a host; the message
   *     does not repeat the URL
   */
  public static RpcEndpoint of(String url, String setting) {
    Objects.requireNonNull(setting, "setting");
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(url, setting).trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + " is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(setting + " must be an http(s) URL with a host");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return new RpcEndpoint(uri.toString(), scheme + "://" + uri.getHost() + ":" + port);
  }

  /** Scheme, host and port: safe to log. */
  public String redacted() {
    return redacted;
  }

  /** A web3j client for this endpoint whose every call times out after {@code requestTimeout}. */
  public Web3j connect(Duration requestTimeout) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(requestTimeout)
            .readTimeout(requestTimeout)
            .writeTimeout(requestTimeout)
            .build();
    return Web3j.build(new HttpService(url, http));
  }

  /** {@code text} with the full URL, and anything after the host, replaced by the redacted form. */
  public String scrub(String text) {
    if (text == null) {
      return "";
    }
    String scrubbed = text.replace(url, redacted);
    URI uri = URI.create(url);
    for (String secret : new String[] {uri.getRawUserInfo(), uri.getRawPath(), uri.getRawQuery()}) {
      if (secret != null && secret.length() > 1) {
        scrubbed = scrubbed.replace(secret, "…");
      }
    }
    return scrubbed;
  }

  @Override
  public String toString() {
    return redacted;
  }
}
