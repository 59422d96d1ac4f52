package com.reservebtc.devstack;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** EIP-191 {@code personal_sign} as a wallet makes it, for the binding requests of the tests. */
final class PersonalSign {

  private PersonalSign() {}

  /** 0x ‖ r ‖ s ‖ v of {@code message} signed by the hex private key. */
  static String sign(String privateKeyHex, String message) {
    return sign(
        ECKeyPair.create(new BigInteger(privateKeyHex.replaceFirst("^0x", ""), 16)), message);
  }

  static String sign(ECKeyPair key, String message) {
    Sign.SignatureData signature =
        Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
    return "0x"
        + HexFormat.of().formatHex(signature.getR())
        + HexFormat.of().formatHex(signature.getS())
        + HexFormat.of().formatHex(signature.getV());
  }
}
