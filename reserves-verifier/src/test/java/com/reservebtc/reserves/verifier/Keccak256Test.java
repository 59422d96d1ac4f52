package com.reservebtc.reserves.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class Keccak256Test {

  @Test
  void matchesThePublishedDigests() {
    assertThat(Hex.encode(Keccak256.digest(new byte[0])))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(Hex.encode(Keccak256.digest("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  }

  @Test
  void agreesWithWeb3jAroundEveryBlockBoundary() {
    Random random = new Random(191);
    for (int length = 0; length <= 300; length++) {
      byte[] input = new byte[length];
      random.nextBytes(input);
      assertThat(Keccak256.digest(input)).as("length %d", length).isEqualTo(Hash.sha3(input));
    }
  }
}
