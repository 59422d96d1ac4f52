package com.reservebtc.txsender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings, value types, error sorting and redaction: everything that needs no node. */
class SenderBasicsTest {

  @Test
  void settingsLeftEmptyTakeTheDocumentedDefaults() {
    SenderSettings defaults =
        new SenderSettings(6342L, null, null, null, null, null, null, null, null);
    assertThat(defaults.maxFeePerGasWei()).isEqualTo(BigInteger.valueOf(50_000_000_000L));
    assertThat(defaults.baseFeeMultiplier()).isEqualTo(2);
    assertThat(defaults.replaceAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.replacementBumpBps()).isEqualTo(1250);
    assertThat(defaults.receiptConfirmations()).isEqualTo(1);
    assertThat(defaults.pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(defaults.awaitTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(defaults.gasHeadroomPercent()).isEqualTo(25);
  }

  @Test
  void settingsRefuseABumpNodesWouldRefuseAndANonPositiveCap() {
    assertThatThrownBy(() -> new SenderSettings(1L, null, null, null, 999, null, null, null, null))
        .hasMessageContaining("replacement-bump-bps");
    assertThatThrownBy(() -> SenderSettings.defaults(1).withMaxFeePerGasWei(BigInteger.ZERO))
        .hasMessageContaining("max-fee-per-gas-wei");
    assertThatThrownBy(
            () -> new SenderSettings(null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("chainId");
    assertThatThrownBy(() -> SenderSettings.defaults(1).withReceiptConfirmations(0))
        .hasMessageContaining("receipt-confirmations");
  }

  @Test
  void errorsAreSortedIntoFatalRetriableAndUnknownOutcome() {
    assertThat(SenderException.Kind.REJECTED.category()).isEqualTo(SenderException.Category.FATAL);
    assertThat(SenderException.Kind.MISCONFIGURED.category())
        .isEqualTo(SenderException.Category.FATAL);
    assertThat(SenderException.Kind.UNAVAILABLE.category())
        .isEqualTo(SenderException.Category.RETRIABLE);
    assertThat(SenderException.Kind.NONCE.category()).isEqualTo(SenderException.Category.RETRIABLE);
    assertThat(SenderException.Kind.FEE_CAP.category())
        .isEqualTo(SenderException.Category.RETRIABLE);
    assertThat(SenderException.Kind.UNKNOWN_OUTCOME.category())
        .isEqualTo(SenderException.Category.UNKNOWN_OUTCOME);
  }

  @Test
  void nodeRefusalsAreRecognisedInTheWordsOfDifferentNodes() {
    assertThat(NodeRefusal.of("already known")).isEqualTo(NodeRefusal.ALREADY_KNOWN);
    assertThat(NodeRefusal.of("Known transaction: 0xab")).isEqualTo(NodeRefusal.ALREADY_KNOWN);
    assertThat(NodeRefusal.of("nonce too low")).isEqualTo(NodeRefusal.NONCE);
    assertThat(NodeRefusal.of("Nonce too high")).isEqualTo(NodeRefusal.NONCE);
    assertThat(NodeRefusal.of("replacement transaction underpriced"))
        .isEqualTo(NodeRefusal.REPLACEMENT_UNDERPRICED);
    assertThat(NodeRefusal.of("max fee per gas less than block base fee"))
        .isEqualTo(NodeRefusal.FEE_TOO_LOW);
    assertThat(NodeRefusal.of("transaction underpriced")).isEqualTo(NodeRefusal.FEE_TOO_LOW);
    assertThat(NodeRefusal.of("insufficient funds for gas * price + value"))
        .isEqualTo(NodeRefusal.INSUFFICIENT_FUNDS);
    assertThat(NodeRefusal.of("execution reverted")).isEqualTo(NodeRefusal.OTHER);
    assertThat(NodeRefusal.of(null)).isEqualTo(NodeRefusal.OTHER);
  }

  @Test
  void anEndpointIsShownAsSchemeHostAndPortOnlyAndScrubbedFromTexts() {
    RpcEndpoint endpoint =
        RpcEndpoint.of(
            "https://user:secret@rpc.example.org/v2/KEY123?token=abc", "RBTC_CHAIN_RPC_URL");
    assertThat(endpoint.redacted()).isEqualTo("https://rpc.example.org:443");
    assertThat(endpoint.toString()).isEqualTo("https://rpc.example.org:443");
    String leaked =
        "unexpected end of stream on https://user:secret@rpc.example.org/v2/KEY123?token=abc and"
            + " /v2/KEY123 and user:secret";
    assertThat(endpoint.scrub(leaked))
        .doesNotContain("secret", "KEY123", "token=abc")
        .contains("https://rpc.example.org:443");
    assertThat(RpcEndpoint.of("http://127.0.0.1:18545", "x").redacted())
        .isEqualTo("http://127.0.0.1:18545");
  }

  @Test
  void aBadEndpointOrKeyIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> RpcEndpoint.of("ftp://h/secretpath", "RBTC_CHAIN_RPC_URL"))
        .hasMessageContaining("RBTC_CHAIN_RPC_URL")
        .hasMessageNotContaining("secretpath");
    String almostAKey = "0x" + "ab".repeat(31) + "zz";
    assertThatThrownBy(() -> SigningKey.fromHex(almostAKey, "RBTC_YIELD_POOL_ORACLE_KEY"))
        .hasMessageContaining("RBTC_YIELD_POOL_ORACLE_KEY")
        .hasMessageNotContaining("abab");
    assertThat(
            SigningKey.fromHex(
                    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "k")
                .getAddress())
        .isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  }

  @Test
  void aReplacementKeepsNonceCallAndGasAndAddsItsHash() {
    Call call = new Call("0x" + "AB".repeat(20), BigInteger.ZERO, "0x1234");
    assertThat(call.to()).isEqualTo("0x" + "ab".repeat(20));
    SentTx first =
        new SentTx(
            "0x" + "01".repeat(20),
            7,
            call,
            BigInteger.valueOf(50_000),
            new Fees.Dynamic(BigInteger.TEN, BigInteger.ONE),
            List.of("0xaa"),
            java.time.Instant.EPOCH);
    SentTx second =
        first.replacedBy(
            "0xbb",
            new Fees.Dynamic(BigInteger.valueOf(12), BigInteger.TWO),
            java.time.Instant.EPOCH.plusSeconds(30));
    assertThat(second.hashes()).containsExactly("0xaa", "0xbb");
    assertThat(second.hash()).isEqualTo("0xbb");
    assertThat(second.replacement()).isTrue();
    assertThat(second.nonce()).isEqualTo(7);
    assertThat(second.call()).isEqualTo(call);
    assertThat(second.gasLimit()).isEqualTo(first.gasLimit());
    assertThatThrownBy(() -> new Fees.Dynamic(BigInteger.ONE, BigInteger.TWO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
