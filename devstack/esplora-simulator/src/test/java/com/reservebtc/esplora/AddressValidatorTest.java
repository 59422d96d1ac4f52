package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class AddressValidatorTest {
  private final AddressValidator regtest = new AddressValidator(Network.REGTEST);

  @Test
  void acceptsEveryStandardEncodingOfTheNetwork() {
    assertThat(regtest.canonical(TestAddresses.p2wpkh(1))).startsWith("bcrt1q");
    assertThat(regtest.canonical(TestAddresses.p2tr(1))).startsWith("bcrt1p");
    assertThat(regtest.canonical(TestAddresses.p2pkh(1))).matches("[mn].*");
    assertThat(regtest.canonical(TestAddresses.p2sh(1))).startsWith("2");
    assertThat(regtest.canonical("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"))
        .isEqualTo("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
  }

  @Test
  void canonicalFormOfUpperCaseBech32IsLowerCase() {
    String address = TestAddresses.p2wpkh(7);
    assertThat(regtest.canonical(address.toUpperCase(Locale.ROOT))).isEqualTo(address);
  }

  @Test
  void rejectsBadChecksumsAndMixedCaseAsInvalid() {
    String address = TestAddresses.p2wpkh(3);
    String badChecksum =
        address.substring(0, address.length() - 1) + (address.endsWith("q") ? "p" : "q");
    assertThatThrownBy(() -> regtest.canonical(badChecksum))
        .isInstanceOf(RejectedRequestException.class)
        .hasMessage("Invalid Bitcoin address");
    assertThatThrownBy(() -> regtest.canonical("bcrt1Q" + address.substring(6)))
        .hasMessage("Invalid Bitcoin address");
    assertThatThrownBy(() -> regtest.canonical("not-an-address"))
        .hasMessage("Invalid Bitcoin address");
    assertThatThrownBy(() -> regtest.canonical("")).hasMessage("Invalid Bitcoin address");
  }

  @Test
  void rejectsAddressesOfAnotherNetworkWithEsplorasWording() {
    assertThatThrownBy(() -> regtest.canonical(TestAddresses.mainnetP2wpkh(1)))
        .isInstanceOf(RejectedRequestException.class)
        .hasMessage("Address on invalid network");
    assertThatThrownBy(() -> regtest.canonical("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"))
        .hasMessage("Address on invalid network");
    assertThat(
            new AddressValidator(Network.MAINNET).canonical("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"))
        .isEqualTo("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
  }

  @Test
  void sinkAddressIsValidForItsNetwork() {
    for (Network network : Network.values()) {
      AddressValidator validator = new AddressValidator(network);
      assertThat(validator.canonical(validator.sinkAddress())).isEqualTo(validator.sinkAddress());
    }
  }
}
