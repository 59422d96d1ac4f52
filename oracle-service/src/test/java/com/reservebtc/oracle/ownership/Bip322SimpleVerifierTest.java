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
import java.util.HexFormat;
import java.util.List;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.DumpedPrivateKey;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BIP-322 "simple" verification against the published vectors: the BIP text and its basic/generated
 * vector files (bitcoin/bips, bip-0322/*.json) and Bitcoin Core's taproot vector. All of them are
 * mainnet addresses and are verified with network mainnet.
 */
class Bip322SimpleVerifierTest {

  private static final HexFormat HEX = HexFormat.of();

  /** The BIP's test key and its P2WPKH and key-path P2TR addresses. */
  private static final String VECTOR_WIF = "L3VFeEujGtevx9w18HD1fhRbCH67Az2dpCymeRE1SoPK6XQtaN2k";

  private static final String VECTOR_P2WPKH = "bc1q9vza2e8x573nczrlzms0wvx3gsqjx7vavgkx0l";
  private static final String VECTOR_P2TR =
      "bc1ppv609nr0vr25u07u95waq5lucwfm6tde4nydujnu8npg4q75mr5sxq8lt3";

  private static final String EMPTY_SIG_1 =
      "AkcwRAIgM2gBAQqvZX15ZiysmKmQpDrG83avLIT492QBzLnQIxYCIBaTpOaD20qRlEylyxFSeEA2ba9YOixpX8z46TSDtS40ASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=";
  private static final String EMPTY_SIG_2 =
      "AkgwRQIhAPkJ1Q4oYS0htvyuSFHLxRQpFAY56b70UvE7Dxazen0ZAiAtZfFz1S6T6I23MWI2lK/pcNTWncuyL8UL+oMdydVgzAEhAsfxIAMZZEKUPYWI4BruhAQjzFT8FSFSajuFwrDL1Yhy";
  private static final String HELLO_SIG_1 =
      "AkcwRAIgZRfIY3p7/DoVTty6YZbWS71bc5Vct9p9Fia83eRmw2QCICK/ENGfwLtptFluMGs2KsqoNSk89pO7F29zJLUx9a/sASECx/EgAxlkQpQ9hYjgGu6EBCPMVPwVIVJqO4XCsMvViHI=";
  private static final String HELLO_SIG_2 =
      "AkgwRQIhAOzyynlqt93lOKJr+wmmxIens//zPzl9tqIOua93wO6MAiBi5n5EyAcPScOjf1lAqIUIQtr3zKNeavYabHyR8eGhowEhAsfxIAMZZEKUPYWI4BruhAQjzFT8FSFSajuFwrDL1Yhy";

  /** Bitcoin Core's taproot vector: "Hello World", 65-byte signature with SIGHASH_ALL. */
  private static final String HELLO_P2TR_SIG =
      "AUHd69PrJQEv+oKTfZ8l+WROBHuy9HKrbFCJu7U1iK2iiEy1vMU5EfMtjc+VSHM7aU0SDbak5IUZRVno2P5mjSafAQ==";

  private final Bip322SimpleVerifier verifier = new Bip322SimpleVerifier();

  // ---- message and transaction hashes ---------------------------------------------------------

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|c90c269c4f8fcbe6880f72a721ddfbf1914268a794cbb21cfafee13770ae19f1"
            + "|c5680aa69bb8d860bf82d4e9cd3504b55dde018de765a91bb566283c545a99a7"
            + "|1e9654e951a5ba44c8604c4de6c67fd78a27e81dcadcfe1edf638ba3aaebaed6",
        "Hello World|f0eb03b1a75ac6d9847f55c624a99169b5dccba2a31f5b23bea77ba270de0a7a"
            + "|b79d196740ad5217771c1098fc4a4b51e0535c32236c71f1ea4d61a2d603352b"
            + "|88737ae86f2077145f93cc4b153ae9a1cb8d56afa511988c149c5c8c9d93bddf",
        "UTF-8 support: öäüéàè 测试文本 \uD83D\uDE04"
            + "|43936b237ea38c7794eb5d755e0d220b6db92ebfc5c8f482759d22b1286376d7"
            + "|c8f4f525fe8afb1bc09b44175bd2096f079c98425e8a1be676b712add1fb62f0"
            + "|8f488e06b89eafd019ec528109eafaf7f1d1811fd617aa1eeb9658f1c1be6586"
      })
  void computesThePublishedMessageHashesAndVirtualTransactionIds(
      String message, String messageHash, String toSpendTxid, String toSignTxid) {
    byte[] hash = Bip322Transactions.messageHash(message);
    assertThat(HEX.formatHex(hash)).isEqualTo(messageHash);

    byte[] challenge = mainnet(VECTOR_P2WPKH).scriptPubKey();
    byte[] toSpend = Bip322Transactions.toSpendTxid(challenge, hash);
    assertThat(displayed(toSpend)).isEqualTo(toSpendTxid);
    assertThat(displayed(Bip322Transactions.toSignTxid(toSpend))).isEqualTo(toSignTxid);
  }

  // ---- P2WPKH ---------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    VECTOR_P2WPKH + ",''," + EMPTY_SIG_1,
    VECTOR_P2WPKH + ",''," + EMPTY_SIG_2,
    VECTOR_P2WPKH + ",Hello World," + HELLO_SIG_1,
    VECTOR_P2WPKH + ",Hello World," + HELLO_SIG_2,
    // generated-test-vectors.json
    "bc1qkntwc3c4dzxh9xh6875l03fn3vkk023jgak3u7,ESHJI7MWUL64AXHBI42L3UR4QA,"
        + "AkcwRAIgCYHF/vn67iZX5WBimh84kqD6pTME6eNCMGhfFnnwCNECIAF3nMCk/RfLit+uv8a8FgfQIw0f0ASE21GSz7rX17PsASEDTA2vM8bOtUFgvenSDUmvkq7aWNwoTB0CMiM6carHY1s=",
  })
  void acceptsThePublishedP2wpkhVectors(String address, String message, String signature) {
    verifier.verify(mainnet(address), message, base64(signature));
  }

  @Test
  void rejectsAP2wpkhVectorForAnotherMessageOrAnotherAddress() {
    assertInvalid(VECTOR_P2WPKH, "Wrong message that was not signed", EMPTY_SIG_1);
    assertInvalid(VECTOR_P2WPKH, "", HELLO_SIG_1);
    assertInvalid(
        "bc1qx3f9s3scavc92s3g2fhwzqzn7qucd37ez03jpf",
        "ESHJI7MWUL64AXHBI42L3UR4QA",
        "AkcwRAIgCYHF/vn67iZX5WBimh84kqD6pTME6eNCMGhfFnnwCNECIAF3nMCk/RfLit+uv8a8FgfQIw0f0ASE21GSz7rX17PsASEDTA2vM8bOtUFgvenSDUmvkq7aWNwoTB0CMiM6carHY1s=");
    // An empty witness stack (the single byte 0x00).
    assertInvalid(VECTOR_P2WPKH, "", "AA==");
  }

  @Test
  void rejectsATamperedP2wpkhSignatureHighSAndOtherSighashTypes() {
    byte[] witness = base64(HELLO_SIG_1);
    byte[] tampered = witness.clone();
    tampered[10] ^= 0x01;
    assertThatThrownBy(() -> verifier.verify(mainnet(VECTOR_P2WPKH), "Hello World", tampered))
        .isInstanceOf(OwnershipRejectedException.class);

    WitnessStack stack = WitnessStack.parse(witness).orElseThrow();
    byte[] signature = stack.item(0);
    byte[] noneHashType = signature.clone();
    noneHashType[noneHashType.length - 1] = 0x02;
    assertInvalid(
        VECTOR_P2WPKH,
        "Hello World",
        Bip322TestSigner.witness(noneHashType, stack.item(1)),
        "SIGHASH_ALL");

    ECKey.ECDSASignature lowS = decode(java.util.Arrays.copyOf(signature, signature.length - 1));
    ECKey.ECDSASignature highS =
        new ECKey.ECDSASignature(lowS.r, ECKey.ecDomainParameters().getN().subtract(lowS.s));
    byte[] highSig = Bip322TestSigner.concat(highS.encodeToDER(), new byte[] {0x01});
    assertInvalid(
        VECTOR_P2WPKH, "Hello World", Bip322TestSigner.witness(highSig, stack.item(1)), "high S");
  }

  @Test
  void ourSignerReproducesTheBipP2wpkhVector() {
    ECKey key = vectorKey();
    assertThat(Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.MAINNET))
        .isEqualTo(VECTOR_P2WPKH);
    // Plain RFC 6979 nonces (no low-R grinding as in Bitcoin Core) give the second signature of
    // each of the BIP's pairs, byte for byte.
    assertThat(Bip322TestSigner.signP2wpkh(key, "")).isEqualTo(EMPTY_SIG_2);
    assertThat(Bip322TestSigner.signP2wpkh(key, "Hello World")).isEqualTo(HELLO_SIG_2);
  }

  // ---- P2TR -----------------------------------------------------------------------------------

  @Test
  void acceptsThePublishedTaprootVectors() {
    // Bitcoin Core's vector: 65 bytes, explicit SIGHASH_ALL.
    verifier.verify(mainnet(VECTOR_P2TR), "Hello World", base64(HELLO_P2TR_SIG));
    // basic-test-vectors.json "No prefix fallback": 64 bytes, default hash type.
    verifier.verify(
        mainnet("bc1pss0zhytly75awhm6x2hhvd5lnzv3vssgrf9axfheq8ldyzn88ges79fler"),
        "No prefix fallback",
        base64(
            "AUCJYOwOjxYAvatTAGYaVlNXBVyFuc4MwNQkOuK2tl8xhfKDONd0NjfYyNSYcRqeCp8hsAnCEPHAVEkO9h6vbQ/R"));
    // generated-test-vectors.json
    verifier.verify(
        mainnet("bc1p9cyuceaazr8cz46mvgkzl94wy397mwpqsrk84su37t72jvkg6wzqv52nfp"),
        "TPIZPITUIHEUHO5ACOL6W6MBVD",
        base64(
            "AUBay6NwR4LEYedkTG+vE9F7C0RTOCB5NH6ZAqf+3hudjHIkOzSZk1jW/5Kt0wRKX3llJ25os+0qktdou4/Y8516"));
  }

  @Test
  void rejectsTaprootVectorsForAnotherMessageOrSigner() {
    assertInvalid(VECTOR_P2TR, "Hello World - This should fail", HELLO_P2TR_SIG);
    assertInvalid(VECTOR_P2TR, "", HELLO_P2TR_SIG);
    assertInvalid(
        "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
        "Hello World",
        HELLO_P2TR_SIG);
    assertInvalid(
        "bc1p9cyuceaazr8cz46mvgkzl94wy397mwpqsrk84su37t72jvkg6wzqv52nfp",
        "IHUVDIXOZV7EE7RU6CP7JUS57N",
        "AUBay6NwR4LEYedkTG+vE9F7C0RTOCB5NH6ZAqf+3hudjHIkOzSZk1jW/5Kt0wRKX3llJ25os+0qktdou4/Y8516");
    assertInvalid(
        "bc1pr72av8sh7qc2ssxs8w0hlj0cl82g2q2dvypngzgsrmd4plml84ksmfyv0q",
        "TPIZPITUIHEUHO5ACOL6W6MBVD",
        "AUBay6NwR4LEYedkTG+vE9F7C0RTOCB5NH6ZAqf+3hudjHIkOzSZk1jW/5Kt0wRKX3llJ25os+0qktdou4/Y8516");
  }

  @Test
  void rejectsTaprootSignaturesWithOtherHashTypesOrScriptPathWitnesses() {
    byte[] signature = WitnessStack.parse(base64(HELLO_P2TR_SIG)).orElseThrow().item(0);
    byte[] single = signature.clone();
    single[64] = 0x03;
    assertInvalid(VECTOR_P2TR, "Hello World", Bip322TestSigner.witness(single), "65 ending");
    // A 65-byte signature may not spell out the default hash type 0x00.
    byte[] explicitDefault = signature.clone();
    explicitDefault[64] = 0x00;
    assertInvalid(VECTOR_P2TR, "Hello World", Bip322TestSigner.witness(explicitDefault), "65");

    assertThatThrownBy(
            () ->
                verifier.verify(
                    mainnet(VECTOR_P2TR),
                    "Hello World",
                    Bip322TestSigner.witness(signature, new byte[] {0x51}, new byte[33])))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_SIGNATURE));
  }

  @Test
  void ourTaprootSignerDerivesTheVectorAddressAndReproducesTheCoreVector() {
    ECKey key = vectorKey();
    assertThat(Bip322TestSigner.p2trAddress(key, BitcoinNetwork.MAINNET)).isEqualTo(VECTOR_P2TR);
    // Core's vector was made with all-zero auxiliary randomness.
    assertThat(Bip322TestSigner.signP2tr(key, "Hello World", true, new byte[32]))
        .isEqualTo(HELLO_P2TR_SIG);
  }

  @Test
  void schnorrRejectsKeysOffTheCurveAndOutOfRangeValues() {
    byte[] message = new byte[32];
    byte[] signature = new byte[64];
    // x = p is not a field element; x = 5 has no curve point (5^3 + 7 = 132 is not a square mod p).
    byte[] fieldPrime =
        HEX.parseHex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    assertThat(Schnorr.verify(fieldPrime, message, signature)).isFalse();
    assertThat(
            Schnorr.verify(Bip322TestSigner.unsigned32(BigInteger.valueOf(5)), message, signature))
        .isFalse();
  }

  // ---- other address types and the ownership flow ----------------------------------------------

  @Test
  void refusesAddressTypesItCannotProve() {
    assertThatThrownBy(
            () ->
                verifier.verify(
                    mainnet("bc1qp0ahvfh83088w49k405szqgg4f3pptr7p2g06tdxfjcd40z4lh4q95lsz9"),
                    "",
                    base64(EMPTY_SIG_1)))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ADDRESS_TYPE));
  }

  @Test
  void ownershipVerifierRoutesWitnessStacksToBip322AndHonoursTheSmpPrefix() {
    OwnershipVerifier ownership = verifier(BtcNetwork.MAINNET);
    assertThat(ownership.verifySignature(mainnet(VECTOR_P2WPKH), "Hello World", HELLO_SIG_2))
        .isEqualTo(SignatureScheme.BIP322_SIMPLE);
    assertThat(
            ownership.verifySignature(mainnet(VECTOR_P2WPKH), "Hello World", "smp" + HELLO_SIG_1))
        .isEqualTo(SignatureScheme.BIP322_SIMPLE);
    assertThat(ownership.verifySignature(mainnet(VECTOR_P2TR), "Hello World", HELLO_P2TR_SIG))
        .isEqualTo(SignatureScheme.BIP322_SIMPLE);
    assertThatThrownBy(
            () ->
                ownership.verifySignature(
                    mainnet(VECTOR_P2WPKH), "Hello World", "ful" + HELLO_SIG_1))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_SIGNATURE));
    assertThatThrownBy(
            () -> ownership.verifySignature(mainnet(VECTOR_P2WPKH), "", "not-valid-base64!!!"))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE));
  }

  @Test
  void bindsFreshP2wpkhAndP2trKeysWithTheOwnershipMessage() {
    long now = 1_750_000_000L;
    String eth = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    String message = OwnershipMessage.format(now, eth);
    ECKey key = new ECKey();
    OwnershipVerifier ownership = verifier(BtcNetwork.REGTEST);

    String p2wpkh = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    VerifiedOwnership segwit =
        ownership.verify(
            new OwnershipClaim(
                eth,
                p2wpkh,
                message,
                Bip322TestSigner.signP2wpkh(key, message),
                EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, message)));
    assertThat(segwit.scheme()).isEqualTo(SignatureScheme.BIP322_SIMPLE);
    assertThat(segwit.btcAddress().text()).isEqualTo(p2wpkh);

    String p2tr = Bip322TestSigner.p2trAddress(key, BitcoinNetwork.REGTEST);
    VerifiedOwnership taproot =
        ownership.verify(
            new OwnershipClaim(
                eth,
                p2tr,
                message,
                Bip322TestSigner.signP2tr(key, message),
                EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, message)));
    assertThat(taproot.scheme()).isEqualTo(SignatureScheme.BIP322_SIMPLE);

    String otherMessage = OwnershipMessage.format(now, "0x" + "1".repeat(40));
    assertThatThrownBy(
            () ->
                ownership.verify(
                    new OwnershipClaim(
                        eth,
                        p2tr,
                        message,
                        Bip322TestSigner.signP2tr(key, otherMessage),
                        EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, message))))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SIGNATURE));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void assertInvalid(String address, String message, String signature) {
    assertInvalid(address, message, base64(signature), "");
  }

  private void assertInvalid(String address, String message, byte[] witness, String detail) {
    assertThatThrownBy(() -> verifier.verify(mainnet(address), message, witness))
        .isInstanceOfSatisfying(
            OwnershipRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INVALID_SIGNATURE);
              assertThat(e.getMessage()).contains(detail);
            });
  }

  private static ECKey.ECDSASignature decode(byte[] der) {
    try {
      return ECKey.ECDSASignature.decodeFromDER(der);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ECKey vectorKey() {
    return DumpedPrivateKey.fromBase58(BitcoinNetwork.MAINNET, VECTOR_WIF).getKey();
  }

  private static OwnershipVerifier verifier(BtcNetwork network) {
    return new OwnershipVerifier(
        network,
        List.of(new Bip137Verifier(), new Bip322SimpleVerifier()),
        Clock.fixed(Instant.ofEpochSecond(1_750_000_000L), ZoneOffset.UTC));
  }

  private static BtcAddress mainnet(String address) {
    return BtcAddress.parse(address, BtcNetwork.MAINNET);
  }

  private static byte[] base64(String text) {
    return Base64.getDecoder().decode(text);
  }

  /** Txids are shown byte-reversed. */
  private static String displayed(byte[] hash) {
    byte[] reversed = new byte[hash.length];
    for (int i = 0; i < hash.length; i++) {
      reversed[i] = hash[hash.length - 1 - i];
    }
    return HEX.formatHex(reversed);
  }
}
