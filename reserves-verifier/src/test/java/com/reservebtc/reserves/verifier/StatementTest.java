package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatementTest {

  static Statement statement(long sequence, String previous, BigInteger supply) {
    return new Statement(
        sequence,
        previous,
        "ab".repeat(32),
        160_000,
        2,
        "regtest",
        150,
        "0f".repeat(32),
        6,
        31337,
        "0x" + "5f".repeat(20),
        supply,
        4_321,
        Instant.parse("2026-11-01T12:00:00.789Z"));
  }

  @Test
  void isTheDocumentedTextAndHashesToItsSha256() {
    Statement s = statement(1, Statement.NO_PREVIOUS, BigInteger.valueOf(160_000));

    assertThat(s.text())
        .isEqualTo(
            "ReserveBTC proof of reserves\n"
                + "Encoding: rbtc-por-v2\n"
                + "Sequence: 1\n"
                + "Previous: "
                + "0".repeat(64)
                + "\n"
                + "Merkle root: "
                + "ab".repeat(32)
                + "\n"
                + "Reserves (sats): 160000\n"
                + "Leaves: 2\n"
                + "Bitcoin network: regtest\n"
                + "Bitcoin height: 150\n"
                + "Bitcoin block: "
                + "0f".repeat(32)
                + "\n"
                + "Confirmations: 6\n"
                + "EVM chain: 31337\n"
                + "rBTC-SYNTH: 0x"
                + "5f".repeat(20)
                + "\n"
                + "rBTC-SYNTH total supply (sats): 160000\n"
                + "EVM block: 4321\n"
                + "Created: 2026-11-01T12:00:00Z");
    assertThat(Statement.parse(s.text())).isEqualTo(s);
    assertThat(s.hash())
        .hasSize(64)
        .isEqualTo(
            Hex.encode(
                SumNode.sha256()
                    .digest(s.text().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(s.backing()).isEqualTo(Statement.Backing.MATCHED);
    assertThat(s.backingPercent()).isEqualTo("100.00");
  }

  @Test
  void derivesTheBackingFromReservesAndSupply() {
    Statement shortfall = statement(2, "cd".repeat(32), BigInteger.valueOf(185_000));
    Statement surplus = statement(2, "cd".repeat(32), BigInteger.valueOf(100_000));
    Statement noSupply = statement(2, "cd".repeat(32), BigInteger.ZERO);

    assertThat(shortfall.backing()).isEqualTo(Statement.Backing.SHORTFALL);
    assertThat(shortfall.differenceSats()).isEqualTo(BigInteger.valueOf(-25_000));
    assertThat(shortfall.backingPercent()).isEqualTo("86.48");
    assertThat(surplus.backing()).isEqualTo(Statement.Backing.SURPLUS);
    assertThat(noSupply.backingPercent()).isEqualTo("n/a");
  }

  @Test
  void refusesAnythingButTheCanonicalText() {
    String text = statement(3, "cd".repeat(32), BigInteger.ONE).text();

    assertThatThrownBy(() -> Statement.parse(text + "\n")).hasMessageContaining("lines");
    assertThatThrownBy(() -> Statement.parse(text.replace("Sequence: 3", "Sequence: 03")))
        .hasMessageContaining("canonical");
    assertThatThrownBy(() -> Statement.parse(text.replace("Leaves: 2", "Leaves:  2")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Statement.parse(text.replace("\n", "\r\n")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Statement.parse(text.replace("rbtc-por-v2", "rbtc-por-v1")))
        .hasMessageContaining("encoding");
    assertThatThrownBy(() -> statement(1, "cd".repeat(32), BigInteger.ONE))
        .hasMessageContaining("64 zeros");
    assertThatThrownBy(
            () ->
                Statement.parse(
                    text.replace(
                        "Created: 2026-11-01T12:00:00Z", "Created: 2026-11-01T12:00:00.5Z")))
        .hasMessageContaining("canonical");
  }
}
