package com.reservebtc.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTest {

  private final ClientAddresses behindProxies =
      new ClientAddresses(List.of("10.0.0.0/8", "192.168.1.5", "fd00::/8"));

  private static ServerHttpRequest from(String remote, String... forwardedFor) {
    MockServerHttpRequest.BaseBuilder<?> request =
        MockServerHttpRequest.get("/api/realtime/balances")
            .remoteAddress(new InetSocketAddress(remote, 40000));
    for (String header : forwardedFor) {
      request.header(ClientAddresses.FORWARDED_FOR, header);
    }
    return request.build();
  }

  @Test
  void withoutTrustedProxiesTheRemoteAddressIsTheClientWhateverTheHeaderSays() {
    ClientAddresses direct = new ClientAddresses(List.of());
    assertThat(direct.clientKey(from("203.0.113.7", "198.51.100.1"))).isEqualTo("203.0.113.7");
  }

  @Test
  void anUntrustedPeerCannotChooseItsKeyByTheHeader() {
    assertThat(behindProxies.clientKey(from("203.0.113.7", "198.51.100.1")))
        .isEqualTo("203.0.113.7");
  }

  @Test
  void behindATrustedProxyTheHopItAddedIsTheClient() {
    assertThat(behindProxies.clientKey(from("10.1.2.3", "198.51.100.1"))).isEqualTo("198.51.100.1");
  }

  @Test
  void throughSeveralTrustedProxiesTheFirstHopIsTheClient() {
    assertThat(behindProxies.clientKey(from("10.1.2.3", "198.51.100.1, 192.168.1.5, 10.9.9.9")))
        .isEqualTo("198.51.100.1");
    // the same list split over several header lines
    assertThat(behindProxies.clientKey(from("10.1.2.3", "198.51.100.1", "192.168.1.5")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void entriesAClientForgedLeftOfTheRealHopAreIgnored() {
    assertThat(behindProxies.clientKey(from("10.1.2.3", "1.1.1.1, 8.8.8.8, 198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void portsAndBracketsAreAcceptedAndNamesNeverResolved() {
    assertThat(behindProxies.clientKey(from("10.1.2.3", "198.51.100.1:5555")))
        .isEqualTo("198.51.100.1");
    assertThat(behindProxies.clientKey(from("10.1.2.3", "[2001:db8:1:2::5]:443")))
        .isEqualTo("2001:db8:1:2::/64");
    // a name or garbage ends the walk at the nearest trusted hop
    assertThat(behindProxies.clientKey(from("10.1.2.3", "example.com"))).isEqualTo("10.1.2.3");
    assertThat(behindProxies.clientKey(from("10.1.2.3", "unknown, 192.168.1.5")))
        .isEqualTo("192.168.1.5");
  }

  @Test
  void ipv6ClientsAreKeyedByTheirSlash64() {
    ClientAddresses direct = new ClientAddresses(List.of());
    assertThat(direct.clientKey(from("2001:db8:aaaa:bbbb:1:2:3:4")))
        .isEqualTo(direct.clientKey(from("2001:db8:aaaa:bbbb:ffff:ffff:ffff:ffff")))
        .isEqualTo("2001:db8:aaaa:bbbb::/64");
    assertThat(direct.clientKey(from("2001:db8:aaaa:bbbc::1")))
        .isEqualTo("2001:db8:aaaa:bbbc::/64");
    // trusted IPv6 proxy range
    assertThat(behindProxies.clientKey(from("fd12::1", "203.0.113.9"))).isEqualTo("203.0.113.9");
  }

  @Test
  void invalidTrustedProxySettingsFailAtStartup() {
    assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.internal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("proxy.internal");
    assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix length");
  }

  @Test
  void rangesMatchOnTheirPrefixBits() {
    IpLiterals.Range range = IpLiterals.Range.parse("172.16.0.0/12");
    assertThat(range.contains(IpLiterals.parse("172.31.255.255"))).isTrue();
    assertThat(range.contains(IpLiterals.parse("172.32.0.0"))).isFalse();
    assertThat(range.contains(IpLiterals.parse("::1"))).isFalse();
    assertThat(IpLiterals.parse("256.1.1.1")).isNull();
  }
}
