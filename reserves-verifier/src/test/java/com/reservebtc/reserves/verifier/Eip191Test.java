package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

class Eip191Test {

  /** web3.js's documented example of accounts.sign('Some data', key). */
  @Test
  void recoversTheSignerOfThePublishedWeb3jsExample() {
    String signature =
        "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
            + "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    assertThat(Hex.encode(Eip191.digest("Some data")))
        .isEqualTo("1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655");
    assertThat(Eip191.recoverAddress("Some data", signature))
        .isEqualTo("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
    assertThat(Eip191.recoverAddress("Some data!", signature))
        .isNotEqualTo("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
  }

  @Test
  void recoversWhatWeb3jSigned() throws Exception {
    for (int i = 0; i < 8; i++) {
      ECKeyPair key = Keys.createEcKeyPair();
      String message = "ReserveBTC proof of reserves\nSequence: " + i + "\nünïcödé";
      String signature = sign(key, message);

      assertThat(Eip191.recoverAddress(message, signature))
          .isEqualTo("0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void signsExactlyAsWeb3jDoes() throws Exception {
    for (int i = 0; i < 8; i++) {
      ECKeyPair key = Keys.createEcKeyPair();
      String hex = Hex.encode(Secp256k1.to32(key.getPrivateKey()));
      String message = Verifier.proofRequest(1_764_760_000L + i, "0x" + Keys.getAddress(key));

      assertThat(Eip191.sign(message, hex)).isEqualTo(sign(key, message));
      assertThat(Eip191.addressOfKey(hex))
          .isEqualTo("0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void refusesMalformedAndHighSSignatures() throws Exception {
    ECKeyPair key = Keys.createEcKeyPair();
    String signature = sign(key, "m");
    byte[] bytes = Hex.decode(signature.substring(2));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 32, 64));
    // (r, n - s) with the other parity is the same signature in its high-s form.
    byte[] flipped = bytes.clone();
    System.arraycopy(to32(Secp256k1.N.subtract(s)), 0, flipped, 32, 32);
    flipped[64] = (byte) (bytes[64] == 27 ? 28 : 27);

    assertThatThrownBy(() -> Eip191.recoverAddress("m", "0x" + Hex.encode(flipped)))
        .hasMessageContaining("high s");
    assertThatThrownBy(() -> Eip191.recoverAddress("m", signature.substring(0, 100)))
        .hasMessageContaining("130 hex digits");
    assertThatThrownBy(() -> Eip191.recoverAddress("m", "0x" + "00".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static String sign(ECKeyPair key, String message) {
    Sign.SignatureData data =
        Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
    return "0x" + Hex.encode(data.getR()) + Hex.encode(data.getS()) + Hex.encode(data.getV());
  }

  private static byte[] to32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  static String address(Credentials credentials) {
    return credentials.getAddress().toLowerCase(Locale.ROOT);
  }
}
