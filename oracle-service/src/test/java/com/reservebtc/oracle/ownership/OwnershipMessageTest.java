package com.reservebtc.oracle.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OwnershipMessageTest {

  private static final String ETH = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  private static final String ETH_CHECKSUMMED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final long NOW = 1_750_000_000L;

  @Test
  void parsesTheExactTemplate() {
    String text =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: 1750000000\n"
            + "MegaETH Address: "
            + ETH
            + "\n"
            + "I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";

    OwnershipMessage message = OwnershipMessage.parse(text);

    assertThat(message.timestamp()).isEqualTo(NOW);
    assertThat(message.ethAddress()).isEqualTo(ETH);
    assertThat(OwnershipMessage.format(NOW, ETH)).isEqualTo(text);
  }

  @Test
  void acceptsAChecksummedAddressAndReportsItInLowerCase() {
    OwnershipMessage message =
        OwnershipMessage.parse(OwnershipMessage.format(NOW, ETH_CHECKSUMMED));

    assertThat(message.ethAddress()).isEqualTo(ETH);
    message.requireValidFor(ETH, Instant.ofEpochSecond(NOW));
  }

  @Test
  void rejectsAnythingButTheExactTemplate() {
    String good = OwnershipMessage.format(NOW, ETH);
    assertInvalid(good.replace("\n", "\r\n"));
    assertInvalid(good + "\n");
    assertInvalid("\n" + good);
    assertInvalid(good.replace("Timestamp: ", "Timestamp:  "));
    assertInvalid(good.replace("Timestamp: 1750000000", "Timestamp: 01750000000"));
    assertInvalid(good.replace("Timestamp: 1750000000", "Timestamp: -5"));
    assertInvalid(good.replace("Timestamp: 1750000000", "Timestamp: 1750000000.5"));
    assertInvalid(good.replace("MegaETH Address: ", "MegaEth Address: "));
    assertInvalid(good.replace(ETH, ETH.substring(0, 41)));
    assertInvalid(good.replace(ETH, ETH + " "));
    assertInvalid(good.replace("ReserveBTC protocol.", "ReserveBTC protocol"));
    assertInvalid(good.replace("ReserveBTC Wallet Verification", "ReserveBTC wallet verification"));
    assertInvalid("");
    assertInvalid(null);
  }

  @Test
  void rejectsAMessageNamingAnotherAddress() {
    OwnershipMessage message = OwnershipMessage.parse(OwnershipMessage.format(NOW, ETH));

    assertThatThrownBy(
            () ->
                message.requireValidFor(
                    "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", Instant.ofEpochSecond(NOW)))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ADDRESS_MISMATCH));
  }

  @Test
  void acceptsTimestampsFromOneHourAgoToSixtySecondsAhead() {
    Instant now = Instant.ofEpochSecond(NOW);

    OwnershipMessage.parse(OwnershipMessage.format(NOW - 3600, ETH)).requireValidFor(ETH, now);
    OwnershipMessage.parse(OwnershipMessage.format(NOW + 60, ETH)).requireValidFor(ETH, now);
    OwnershipMessage.parse(OwnershipMessage.format(NOW, ETH)).requireValidFor(ETH, now);

    assertOutOfWindow(NOW - 3601, now);
    assertOutOfWindow(NOW + 61, now);
    assertOutOfWindow(0, now);
  }

  private static void assertOutOfWindow(long timestamp, Instant now) {
    OwnershipMessage message = OwnershipMessage.parse(OwnershipMessage.format(timestamp, ETH));
    assertThatThrownBy(() -> message.requireValidFor(ETH, now))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_OUT_OF_WINDOW));
  }

  private static void assertInvalid(String text) {
    assertThatThrownBy(() -> OwnershipMessage.parse(text))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_MESSAGE));
  }
}
