package com.reservebtc.indexer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class Keccak256Test {

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void hashesTheEmptyInputAsEthereumDoes() {
    assertThat(hex(Keccak256.hash(new byte[0])))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  }

  @Test
  void givesTheProtocolsEventSignatureHashes() {
    assertThat(
            hex(
                Keccak256.hash(
                    "Synced(address,uint64,int64,uint256,uint32,uint64)"
                        .getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("bd74477ace0e09075451becb82bdae1c9a11698b13f8488ab67f55722444eb84");
    assertThat(
            hex(
                Keccak256.hash(
                    "EmergencyBurn(address,uint256,string)".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("3b2cf963d043e36af901999981442fddfef7d47161e769ac70190990c3bf92e9");
  }

  @Test
  void agreesWithWeb3jAcrossBlockBoundaries() {
    for (int length = 0; length <= 300; length++) {
      byte[] input = new byte[length];
      for (int i = 0; i < length; i++) {
        input[i] = (byte) (i * 31 + length);
      }
      assertThat(hex(Keccak256.hash(input)))
          .as("length %d", length)
          .isEqualTo(hex(Hash.sha3(input)));
    }
  }
}
