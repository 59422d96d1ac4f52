package com.reservebtc.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Decides which client a request comes from. The remote address of the connection is the client,
 * unless it is one of the configured trusted proxies: then the {@code X-Forwarded-For} header is
 * read from the right (the hop the trusted proxy itself added) to the left, skipping further
 * trusted proxies, and the first address that is not a trusted proxy is the client. With every
 * proxy in the chain trusted this is the first hop, the original client; entries a client put into
 * the header itself are never reached, so the header cannot be used to pose as someone else.
 *
 * <p>Not supported: the RFC 7239 {@code Forwarded} header. Entries that are not IP literals end the
 * walk (the nearest trusted hop is then taken as the client); names are never resolved.
 */
final class ClientAddresses {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final List<IpLiterals.Range> trustedProxies;

  ClientAddresses(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(IpLiterals.Range::parse).toList();
  }

  /** The rate-limit key of the request's client, e.g. {@code 203.0.113.7}. */
  String clientKey(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    InetAddress client = remote == null ? null : remote.getAddress();
    if (client == null) {
      return "unknown";
    }
    if (trusted(client)) {
      List<String> headers = request.getHeaders().get(FORWARDED_FOR);
      if (headers != null) {
        client = walk(headers, client);
      }
    }
    return IpLiterals.clientKey(client);
  }

  private InetAddress walk(List<String> headers, InetAddress nearest) {
    // several header lines are one list in order
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] hops = headers.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        if (hops[i].isBlank()) {
          continue;
        }
        InetAddress hop = IpLiterals.parse(hops[i]);
        if (hop == null) {
          return nearest;
        }
        if (!trusted(hop)) {
          return hop;
        }
        nearest = hop;
      }
    }
    return nearest;
  }

  private boolean trusted(InetAddress address) {
    for (IpLiterals.Range range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
