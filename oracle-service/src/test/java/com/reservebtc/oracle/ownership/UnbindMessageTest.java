package com.reservebtc.oracle.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.time.Instant;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;

class UnbindMessageTest {

  private static final long NOW = 1_750_000_000L;
  private static final String ETH = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  private final String btc = Bip322TestSigner.p2wpkhAddress(new ECKey(), BitcoinNetwork.REGTEST);

  @Test
  void parsesExactlyTheTemplate() {
    String text = UnbindMessage.format(NOW, ETH.toUpperCase().replace("0X", "0x"), btc);
    assertThat(text)
        .isEqualTo(
            "ReserveBTC Unbind Request\nTimestamp: "
                + NOW
                + "\nMegaETH Address: "
                + ETH.toUpperCase().replace("0X", "0x")
                + "\nBitcoin Address: "
                + btc
                + "\nI confirm removal of this Bitcoin address from use with ReserveBTC protocol.");
    UnbindMessage parsed = UnbindMessage.parse(text, BtcNetwork.REGTEST);
    assertThat(parsed).isEqualTo(new UnbindMessage(NOW, ETH, btc));
    parsed.requireValidFor(ETH, btc, NOW - 10, Instant.ofEpochSecond(NOW));
  }

  @Test
  void rejectsOtherTextsIncludingTheBindingMessage() {
    assertInvalid(OwnershipMessage.format(NOW, ETH), Reason.INVALID_MESSAGE);
    assertInvalid(UnbindMessage.format(NOW, ETH, btc) + "\n", Reason.INVALID_MESSAGE);
    assertInvalid(
        UnbindMessage.format(NOW, ETH, btc).replace("\n", "\r\n"), Reason.INVALID_MESSAGE);
    assertInvalid(UnbindMessage.format(NOW, ETH, "bc1qnotregtest"), Reason.INVALID_BTC_ADDRESS);
  }

  @Test
  void requiresTheBoundPairAFreshTimestampAndOneAfterTheBinding() {
    UnbindMessage message =
        UnbindMessage.parse(UnbindMessage.format(NOW, ETH, btc), BtcNetwork.REGTEST);
    Instant now = Instant.ofEpochSecond(NOW);
    String otherBtc = Bip322TestSigner.p2wpkhAddress(new ECKey(), BitcoinNetwork.REGTEST);
    assertRejected(() -> message.requireValidFor(ETH, otherBtc, 0, now), Reason.ADDRESS_MISMATCH);
    assertRejected(
        () -> message.requireValidFor("0x" + "1".repeat(40), btc, 0, now), Reason.ADDRESS_MISMATCH);
    assertRejected(
        () -> message.requireValidFor(ETH, btc, 0, now.plusSeconds(3_601)),
        Reason.TIMESTAMP_OUT_OF_WINDOW);
    assertRejected(
        () -> message.requireValidFor(ETH, btc, 0, now.minusSeconds(61)),
        Reason.TIMESTAMP_OUT_OF_WINDOW);
    // Signed before the current binding's own message: a replay of an older unbind request.
    assertRejected(() -> message.requireValidFor(ETH, btc, NOW + 1, now), Reason.STALE_REQUEST);
    // Signed in the same second as the binding: not newer, so refused too.
    assertRejected(() -> message.requireValidFor(ETH, btc, NOW, now), Reason.STALE_REQUEST);
  }

  private static void assertInvalid(String text, Reason reason) {
    assertRejected(() -> UnbindMessage.parse(text, BtcNetwork.REGTEST), reason);
  }

  private static void assertRejected(Runnable action, Reason reason) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
