package com.reservebtc.gateway.ratelimit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever resolving a host name (a header value must never trigger
 * a DNS lookup), and CIDR ranges of them.
 */
final class IpLiterals {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

  private IpLiterals() {}

  /**
   * The address of an IPv4 or IPv6 literal, optionally in brackets and/or with a port ({@code
   * 1.2.3.4:80}, {@code [2001:db8::1]:443}); null if {@code text} is not such a literal.
   */
  static InetAddress parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with a port
    }
    if (IPV4.matcher(s).matches()) {
      String[] parts = s.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(parts[i]);
        if (octet > 255) {
          return null;
        }
        bytes[i] = (byte) octet;
      }
      return byAddress(bytes);
    }
    if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
      try {
        // a string with ':' is parsed as an IPv6 literal, never looked up
        return InetAddress.getByName(s);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  /** An address range: a network address and the number of leading bits that must match. */
  record Range(byte[] network, int prefixBits) {

    /**
     * Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a single address.
     *
     * @throws IllegalArgumentException if it is neither
     */
    static Range parse(String spec) {
      String s = spec.trim();
      int slash = s.indexOf('/');
      InetAddress address = IpLiterals.parse(slash < 0 ? s : s.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException(
            "'" + spec + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8)");
      }
      int max = address.getAddress().length * 8;
      int bits;
      try {
        bits = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + spec + "' has an invalid prefix length", e);
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException("'" + spec + "' has a prefix length outside 0.." + max);
      }
      return new Range(address.getAddress(), bits);
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * The rate-limit key of a client address: the address itself for IPv4, its /64 network for IPv6
   * (one subscriber usually holds a whole /64 and could rotate through it).
   */
  static String clientKey(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    byte[] bytes = address.getAddress();
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      key.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return key.append(":/64").toString();
  }
}
