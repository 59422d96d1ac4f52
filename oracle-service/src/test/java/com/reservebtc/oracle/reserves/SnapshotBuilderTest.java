package com.reservebtc.oracle.reserves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.oracle.web.ApiException;
import com.reservebtc.reserves.verifier.Eip191;
import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.SumTree;
import com.reservebtc.reserves.verifier.Verifier;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class SnapshotBuilderTest {

  static final String KEY = "8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";
  static final String ALICE = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  static final String BOB = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

  static Map<String, List<LeafAddress>> users() {
    Map<String, List<LeafAddress>> users = new LinkedHashMap<>();
    users.put(ALICE, List.of(new LeafAddress("bcrt1qa", "0014" + "ab".repeat(20), 150_000)));
    users.put(
        BOB,
        List.of(
            new LeafAddress("bcrt1pb", "5120" + "cd".repeat(32), 2_500),
            new LeafAddress("bcrt1qb", "0014" + "01".repeat(20), 7_500)));
    return users;
  }

  static SnapshotBuilder.Header header(long sequence, String previous, long supply) {
    return new SnapshotBuilder.Header(
        sequence,
        previous,
        "regtest",
        150,
        "0f".repeat(32),
        6,
        31337,
        "0x" + "5f".repeat(20),
        BigInteger.valueOf(supply),
        4_321,
        Instant.parse("2026-11-01T12:00:00Z"));
  }

  @Test
  void buildsASignedSnapshotWhoseEveryLeafVerifies() {
    AttestationKey key = AttestationKey.ofHex(KEY);
    SnapshotBuilder.Built built =
        SnapshotBuilder.build(users(), header(1, Statement.NO_PREVIOUS, 160_000), key);
    Statement statement = built.snapshot().statement();

    assertThat(statement.reservesSats()).isEqualTo(160_000);
    assertThat(statement.leafCount()).isEqualTo(2);
    assertThat(statement.backing()).isEqualTo(Statement.Backing.MATCHED);
    assertThat(Eip191.recoverAddress(statement.text(), built.snapshot().signature()))
        .isEqualTo(key.address());
    assertThat(
            Verifier.checkAttestation(
                Map.of("statement", statement.text(), "signature", built.snapshot().signature()),
                key.address()))
        .isEqualTo(statement);
    for (ReserveAccount account : built.accounts()) {
      assertThat(
              SumTree.fold(
                  account.node(),
                  account.index(),
                  statement.leafCount(),
                  built.tree().proof(account.index())))
          .isEqualTo(statement.root());
    }
    // leaf order is by hash, not by address
    assertThat(built.accounts().get(0).leafHash()).isLessThan(built.accounts().get(1).leafHash());
  }

  @Test
  void saltsDifferPerUserAndPerSnapshotAndComeFromTheSecret() {
    AttestationKey key = AttestationKey.ofHex(KEY);
    AttestationKey other =
        AttestationKey.ofHex("0b7f5f6d1c2a4e3b8d9c0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4");

    assertThat(key.salt(1, ALICE)).matches("[0-9a-f]{64}").isEqualTo(key.salt(1, ALICE));
    assertThat(key.salt(1, ALICE)).isNotEqualTo(key.salt(1, BOB)).isNotEqualTo(key.salt(2, ALICE));
    assertThat(key.salt(1, ALICE)).isNotEqualTo(other.salt(1, ALICE));
    assertThat(key.saltsFor(7).of(BOB)).isEqualTo(key.salt(7, BOB));
  }

  @Test
  void aSnapshotWhoseReservesDifferFromTheSupplyIsReportedAsSuch() {
    AttestationKey key = AttestationKey.ofHex(KEY);

    ReserveSnapshot shortfall =
        SnapshotBuilder.build(users(), header(2, "aa".repeat(32), 185_000), key).snapshot();
    ReserveSnapshot surplus =
        SnapshotBuilder.build(users(), header(2, "aa".repeat(32), 100_000), key).snapshot();

    assertThat(shortfall.statement().backing()).isEqualTo(Statement.Backing.SHORTFALL);
    assertThat(shortfall.statement().differenceSats()).isEqualTo(BigInteger.valueOf(-25_000));
    assertThat(shortfall.backingFraction()).isEqualTo(160_000.0 / 185_000);
    assertThat(ReserveSnapshotter.toAvro(shortfall).getDifferenceSats()).isEqualTo("-25000");
    assertThat(ReserveSnapshotter.toAvro(shortfall).getBackingRatio()).isEqualTo("86.48");
    assertThat(surplus.statement().backing()).isEqualTo(Statement.Backing.SURPLUS);
    assertThat(surplus.backingFraction()).isEqualTo(1.6);
  }

  @Test
  void theKeyIsNeverShownAndBadSettingsNameOnlyTheSetting() {
    AttestationKey key = AttestationKey.ofHex(KEY);
    ReservesProperties settings =
        new ReservesProperties(true, 10, KEY, null, null, null, Duration.ofSeconds(300));

    assertThat(key.toString()).doesNotContain(KEY).contains(key.address());
    assertThat(settings.toString()).doesNotContain(KEY);
    assertThatThrownBy(
            () ->
                AttestationKey.load(
                    new ReservesProperties(
                        true, 10, KEY + "zz", null, null, null, Duration.ofSeconds(300))))
        .hasMessageContaining("RBTC_RESERVES_SIGNING_KEY")
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(
            () ->
                AttestationKey.load(
                    new ReservesProperties(
                        true, 10, null, null, null, null, Duration.ofSeconds(300))))
        .hasMessageContaining("no proof-of-reserves attestation key");
  }

  @Test
  void aProofRequestIsAcceptedOnlyFromTheAddressAndOnlyWhileFresh() {
    AttestationKey alice = AttestationKey.ofHex(KEY);
    String address = alice.address();
    Instant now = Instant.parse("2026-11-01T12:00:00Z");
    long t = now.getEpochSecond();
    Duration maxAge = Duration.ofSeconds(300);

    ProofRequest.authorize(
        address,
        Long.toString(t - 299),
        alice.sign(ProofRequest.message(t - 299, address)),
        now,
        maxAge);
    assertThat(status(() -> ProofRequest.authorize(address, null, null, now, maxAge)))
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(
            status(
                () ->
                    ProofRequest.authorize(
                        address,
                        Long.toString(t - 301),
                        alice.sign(ProofRequest.message(t - 301, address)),
                        now,
                        maxAge)))
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(
            status(
                () ->
                    ProofRequest.authorize(
                        address,
                        Long.toString(t),
                        AttestationKey.ofHex(
                                "0b7f5f6d1c2a4e3b8d9c0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4")
                            .sign(ProofRequest.message(t, address)),
                        now,
                        maxAge)))
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    // signed for another time than the one sent
    assertThat(
            status(
                () ->
                    ProofRequest.authorize(
                        address,
                        Long.toString(t),
                        alice.sign(ProofRequest.message(t - 1, address)),
                        now,
                        maxAge)))
        .isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  private static HttpStatus status(Runnable call) {
    try {
      call.run();
    } catch (ApiException e) {
      return e.status();
    }
    return HttpStatus.OK;
  }
}
