package com.reservebtc.oracle.ownership;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.math.BigInteger;
import java.util.HexFormat;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Sign;

class EthSignatureVerifierTest {

  private static final String MESSAGE =
      OwnershipMessage.format(1_700_000_000L, "0x" + "ab".repeat(20));

  @Test
  void acceptsThePersonalSignOfTheAddress() {
    String user = EthKeys.newAddress();
    String message = OwnershipMessage.format(1_700_000_000L, user);
    assertThatCode(() -> EthSignatureVerifier.verify(user, message, EthKeys.sign(user, message)))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsARecoveryIdWrittenAsZeroOrOne() {
    String user = EthKeys.newAddress();
    String signature = EthKeys.sign(user, MESSAGE);
    int v = Integer.parseInt(signature.substring(130), 16);
    String zeroBased = signature.substring(0, 130) + String.format("%02x", v - 27);
    assertThatCode(() -> EthSignatureVerifier.verify(user, MESSAGE, zeroBased))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesASignatureByAnotherAddress() {
    String user = EthKeys.newAddress();
    String attacker = EthKeys.newAddress();
    assertRejected(
        () -> EthSignatureVerifier.verify(user, MESSAGE, EthKeys.sign(attacker, MESSAGE)),
        Reason.INVALID_ETH_SIGNATURE);
  }

  @Test
  void refusesASignatureOverAnotherMessage() {
    String user = EthKeys.newAddress();
    assertRejected(
        () -> EthSignatureVerifier.verify(user, MESSAGE, EthKeys.sign(user, MESSAGE + " ")),
        Reason.INVALID_ETH_SIGNATURE);
  }

  @Test
  void refusesAMissingSignature() {
    String user = EthKeys.newAddress();
    assertRejected(
        () -> EthSignatureVerifier.verify(user, MESSAGE, null), Reason.ETH_SIGNATURE_REQUIRED);
    assertRejected(
        () -> EthSignatureVerifier.verify(user, MESSAGE, ""), Reason.ETH_SIGNATURE_REQUIRED);
  }

  @Test
  void refusesMalformedSignatures() {
    String user = EthKeys.newAddress();
    String good = EthKeys.sign(user, MESSAGE);
    for (String bad :
        new String[] {
          good.substring(2),
          good + "00",
          good.substring(0, 130) + "1d",
          good + "\u0000",
          " " + good,
          "0x" + "00".repeat(65)
        }) {
      assertRejected(
          () -> EthSignatureVerifier.verify(user, MESSAGE, bad), Reason.MALFORMED_ETH_SIGNATURE);
    }
  }

  @Test
  void refusesTheHighSTwinOfAValidSignature() {
    String user = EthKeys.newAddress();
    String good = EthKeys.sign(user, MESSAGE);
    byte[] bytes = HexFormat.of().parseHex(good.substring(2));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 32, 64));
    BigInteger highS = Sign.CURVE_PARAMS.getN().subtract(s);
    byte[] sBytes = toBytes32(highS);
    System.arraycopy(sBytes, 0, bytes, 32, 32);
    bytes[64] = (byte) (bytes[64] == 27 ? 28 : 27);
    String twin = "0x" + HexFormat.of().formatHex(bytes);
    assertRejected(
        () -> EthSignatureVerifier.verify(user, MESSAGE, twin), Reason.MALFORMED_ETH_SIGNATURE);
  }

  private static byte[] toBytes32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static void assertRejected(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason));
  }
}
