package com.reservebtc.oracle.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;

class Bip137VerifierTest {

  private static final String ETH = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  private static final long NOW = 1_750_000_000L;
  private static final String MESSAGE = OwnershipMessage.format(NOW, ETH);

  private static final int HEADER_P2PKH_UNCOMPRESSED = 27;
  private static final int HEADER_P2PKH_COMPRESSED = 31;
  private static final int HEADER_P2SH_P2WPKH = 35;
  private static final int HEADER_P2WPKH = 39;

  private final ECKey key =
      ECKey.fromPrivate(new BigInteger("1234567890abcdef1234567890abcdef", 16));
  private final ECKey otherKey = ECKey.fromPrivate(new BigInteger("fedcba0987654321", 16));
  private final OwnershipVerifier verifier = verifier(BtcNetwork.REGTEST);

  @Test
  void acceptsBitcoinjSignatureForCompressedP2pkh() {
    String address = key.toAddress(ScriptType.P2PKH, BitcoinNetwork.REGTEST).toString();

    VerifiedOwnership verified = verify(address, MESSAGE, key.signMessage(MESSAGE));

    assertThat(verified.scheme()).isEqualTo(SignatureScheme.BIP137);
    assertThat(verified.btcAddress().text()).isEqualTo(address);
    assertThat(verified.ethAddress()).isEqualTo(ETH);
    assertThat(verified.messageTimestamp()).isEqualTo(NOW);
  }

  @Test
  void acceptsUncompressedP2pkh() {
    ECKey uncompressed = ECKey.fromPrivate(key.getPrivKey(), false);
    String address =
        LegacyAddress.fromPubKeyHash(BitcoinNetwork.REGTEST, uncompressed.getPubKeyHash())
            .toString();
    String signature = uncompressed.signMessage(MESSAGE);
    assertThat(header(signature)).isBetween(27, 30);

    verify(address, MESSAGE, signature);
    verify(address, MESSAGE, sign(uncompressed, MESSAGE, HEADER_P2PKH_UNCOMPRESSED));
  }

  @Test
  void acceptsBitcoinjSignatureForP2wpkh() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String signature = key.signMessage(MESSAGE, ScriptType.P2WPKH);
    assertThat(header(signature)).isBetween(39, 42);

    verify(address, MESSAGE, signature);
  }

  @Test
  void acceptsHandBuiltP2wpkhHeadersIncludingElectrumStyle() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    verify(address, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH));
    verify(address, MESSAGE, sign(key, MESSAGE, HEADER_P2PKH_COMPRESSED));
  }

  @Test
  void acceptsHandBuiltP2shP2wpkhHeadersIncludingElectrumStyle() {
    String address = p2shP2wpkh(key, BitcoinNetwork.REGTEST);

    VerifiedOwnership verified = verify(address, MESSAGE, sign(key, MESSAGE, HEADER_P2SH_P2WPKH));
    verify(address, MESSAGE, sign(key, MESSAGE, HEADER_P2PKH_COMPRESSED));

    assertThat(verified.btcAddress().type()).isEqualTo(ScriptType.P2SH);
  }

  @Test
  void acceptsUpperCaseBech32AndStoresTheCanonicalForm() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    VerifiedOwnership verified =
        verify(address.toUpperCase(), MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH));

    assertThat(verified.btcAddress().text()).isEqualTo(address);
  }

  @Test
  void rejectsATamperedMessage() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String signature = sign(key, MESSAGE, HEADER_P2WPKH);
    String tampered = OwnershipMessage.format(NOW + 1, ETH);

    assertRejected(() -> verify(address, tampered, signature), Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsATamperedSignature() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    byte[] signature = Base64.getDecoder().decode(sign(key, MESSAGE, HEADER_P2WPKH));
    signature[40] ^= 0x01;

    assertRejected(
        () -> verify(address, MESSAGE, Base64.getEncoder().encodeToString(signature)),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsASignatureWithTheWrongRecoveryId() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    byte[] signature = Base64.getDecoder().decode(sign(key, MESSAGE, HEADER_P2WPKH));
    signature[0] = (byte) (signature[0] == HEADER_P2WPKH ? HEADER_P2WPKH + 1 : HEADER_P2WPKH);

    assertRejected(
        () -> verify(address, MESSAGE, Base64.getEncoder().encodeToString(signature)),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsASignatureByAnotherKey() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    assertRejected(
        () -> verify(address, MESSAGE, sign(otherKey, MESSAGE, HEADER_P2WPKH)),
        Reason.INVALID_SIGNATURE);
    assertRejected(
        () ->
            verify(
                p2shP2wpkh(key, BitcoinNetwork.REGTEST),
                MESSAGE,
                sign(otherKey, MESSAGE, HEADER_P2SH_P2WPKH)),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsAHeaderForAnotherAddressKind() {
    String p2pkh = key.toAddress(ScriptType.P2PKH, BitcoinNetwork.REGTEST).toString();
    String p2wpkh = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    assertRejected(
        () -> verify(p2pkh, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH)), Reason.INVALID_SIGNATURE);
    assertRejected(
        () -> verify(p2wpkh, MESSAGE, sign(key, MESSAGE, HEADER_P2SH_P2WPKH)),
        Reason.INVALID_SIGNATURE);
    // A compressed-key signature never matches the uncompressed-key P2PKH address and vice versa.
    assertRejected(
        () -> verify(p2pkh, MESSAGE, sign(key, MESSAGE, HEADER_P2PKH_UNCOMPRESSED)),
        Reason.INVALID_SIGNATURE);
  }

  @Test
  void rejectsAnAddressOfAnotherNetworkNamingTheNetworks() {
    String mainnet = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.MAINNET).toString();

    assertRejected(
        () -> verify(mainnet, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH)), Reason.WRONG_NETWORK);
    assertThatThrownBy(() -> verify(mainnet, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH)))
        .hasMessage(
            "wrong network: "
                + mainnet
                + " is a mainnet address; this oracle expects regtest"
                + " addresses");
    String regtest = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    assertRejected(
        () ->
            verifier(BtcNetwork.MAINNET)
                .verify(
                    new OwnershipClaim(
                        ETH,
                        regtest,
                        MESSAGE,
                        sign(key, MESSAGE, HEADER_P2WPKH),
                        EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, MESSAGE))),
        Reason.WRONG_NETWORK);
    String legacyTestnet = key.toAddress(ScriptType.P2PKH, BitcoinNetwork.TESTNET).toString();
    assertRejected(
        () ->
            verifier(BtcNetwork.MAINNET)
                .verify(
                    new OwnershipClaim(
                        ETH,
                        legacyTestnet,
                        MESSAGE,
                        key.signMessage(MESSAGE),
                        EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, MESSAGE))),
        Reason.WRONG_NETWORK);
    String testnet = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.TESTNET).toString();
    assertThatThrownBy(() -> verify(testnet, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH)))
        .hasMessageContaining("is a testnet/signet address; this oracle expects regtest");
  }

  @Test
  void rejectsTaprootAddressesForBip137() {
    String taproot = SegwitAddress.fromProgram(BitcoinNetwork.REGTEST, 1, new byte[32]).toString();

    assertRejected(
        () -> verify(taproot, MESSAGE, sign(key, MESSAGE, HEADER_P2WPKH)),
        Reason.UNSUPPORTED_ADDRESS_TYPE);
  }

  @Test
  void rejectsMalformedSignatures() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    byte[] valid = Base64.getDecoder().decode(sign(key, MESSAGE, HEADER_P2WPKH));

    assertRejected(() -> verify(address, MESSAGE, "not base64!"), Reason.MALFORMED_SIGNATURE);
    assertRejected(() -> verify(address, MESSAGE, ""), Reason.MALFORMED_SIGNATURE);
    assertRejected(
        () -> verify(address, MESSAGE, Base64.getEncoder().encodeToString(new byte[64])),
        Reason.UNSUPPORTED_SIGNATURE);
    byte[] badHeader = valid.clone();
    badHeader[0] = 43;
    assertRejected(
        () -> verify(address, MESSAGE, Base64.getEncoder().encodeToString(badHeader)),
        Reason.MALFORMED_SIGNATURE);
    byte[] zeroR = valid.clone();
    java.util.Arrays.fill(zeroR, 1, 33, (byte) 0);
    assertRejected(
        () -> verify(address, MESSAGE, Base64.getEncoder().encodeToString(zeroR)),
        Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsAddressesWithInvisibleCharactersInsteadOfTrimmingThem() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String signature = sign(key, MESSAGE, HEADER_P2WPKH);
    String ethSignature = EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, MESSAGE);

    assertRejected(
        () -> verify(address + "\u0000", MESSAGE, signature), Reason.INVALID_BTC_ADDRESS);
    assertRejected(() -> verify(" " + address, MESSAGE, signature), Reason.INVALID_BTC_ADDRESS);
    assertRejected(
        () ->
            verifier.verify(
                new OwnershipClaim(ETH + "\u0000", address, MESSAGE, signature, ethSignature)),
        Reason.INVALID_ETH_ADDRESS);
    assertRejected(
        () ->
            verifier.verify(
                new OwnershipClaim(ETH, address, MESSAGE, signature + "\n", ethSignature)),
        Reason.MALFORMED_SIGNATURE);
  }

  @Test
  void rejectsAClaimTheEvmAddressDidNotSign() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String signature = sign(key, MESSAGE, HEADER_P2WPKH);

    assertRejected(
        () -> verifier.verify(new OwnershipClaim(ETH, address, MESSAGE, signature, null)),
        Reason.ETH_SIGNATURE_REQUIRED);
    assertRejected(
        () ->
            verifier.verify(
                new OwnershipClaim(
                    ETH, address, MESSAGE, signature, EthKeys.sign(EthKeys.newAddress(), MESSAGE))),
        Reason.INVALID_ETH_SIGNATURE);
  }

  @Test
  void rejectsAnInvalidEthAddressAndAStaleMessage() {
    String address = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String signature = sign(key, MESSAGE, HEADER_P2WPKH);

    assertRejected(
        () ->
            verifier.verify(
                new OwnershipClaim(
                    "0x1234",
                    address,
                    MESSAGE,
                    signature,
                    EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, MESSAGE))),
        Reason.INVALID_ETH_ADDRESS);
    String stale = OwnershipMessage.format(NOW - 7200, ETH);
    assertRejected(
        () -> verify(address, stale, sign(key, stale, HEADER_P2WPKH)),
        Reason.TIMESTAMP_OUT_OF_WINDOW);
  }

  @Test
  void messageHashMatchesBitcoinj() throws Exception {
    String signature = key.signMessage(MESSAGE);
    // bitcoinj's own verification uses its own message formatting; both must agree.
    assertThat(ECKey.signedMessageToKey(MESSAGE, signature).getPubKey()).isEqualTo(key.getPubKey());
    ECKey.ECDSASignature sig = key.sign(BitcoinMessage.hash(MESSAGE));
    assertThat(key.verify(BitcoinMessage.hash(MESSAGE), sig)).isTrue();
    String ours = sign(key, MESSAGE, HEADER_P2PKH_COMPRESSED);
    assertThat(ECKey.signedMessageToKey(MESSAGE, ours).getPubKey()).isEqualTo(key.getPubKey());
  }

  private VerifiedOwnership verify(String address, String message, String signature) {
    return verifier.verify(
        new OwnershipClaim(
            ETH,
            address,
            message,
            signature,
            EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, message)));
  }

  private static OwnershipVerifier verifier(BtcNetwork network) {
    return new OwnershipVerifier(
        network,
        List.of(new Bip137Verifier()),
        Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
  }

  /** A compact signature with the given header base (27, 31, 35 or 39) plus the recovery id. */
  static String sign(ECKey key, String message, int headerBase) {
    Sha256Hash hash = BitcoinMessage.hash(message);
    ECKey.ECDSASignature signature = key.sign(hash);
    byte recoveryId = key.findRecoveryId(hash, signature);
    byte[] out = new byte[65];
    out[0] = (byte) (headerBase + recoveryId);
    System.arraycopy(fixed32(signature.r), 0, out, 1, 32);
    System.arraycopy(fixed32(signature.s), 0, out, 33, 32);
    return Base64.getEncoder().encodeToString(out);
  }

  static String p2shP2wpkh(ECKey key, BitcoinNetwork network) {
    byte[] redeemScript = new byte[22];
    redeemScript[1] = 0x14;
    System.arraycopy(BitcoinMessage.hash160(key.getPubKey()), 0, redeemScript, 2, 20);
    return LegacyAddress.fromScriptHash(network, BitcoinMessage.hash160(redeemScript)).toString();
  }

  private static byte[] fixed32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static int header(String signature) {
    return Base64.getDecoder().decode(signature)[0] & 0xff;
  }

  private static void assertRejected(Runnable action, Reason reason) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
