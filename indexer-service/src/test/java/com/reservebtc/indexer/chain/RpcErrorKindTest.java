package com.reservebtc.indexer.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcErrorKindTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // Infura: the same code for too many results and for rate limits.
        "-32005 | query returned more than 10000 results | RANGE_TOO_LARGE",
        "-32005 | limit exceeded | RATE_LIMITED",
        "-32005 | daily request count exceeded, request rate limited | RATE_LIMITED",
        "-32602 | range 1000000 exceeds limit of 10000 | RANGE_TOO_LARGE",
        // Alchemy.
        "-32602 | Log response size exceeded. You can make eth_getLogs requests with up to a 2K"
            + " block range | RANGE_TOO_LARGE",
        "429 | Your app has exceeded its compute units per second capacity | RATE_LIMITED",
        // QuickNode, reth, Besu, Ankr and others.
        "-32614 | eth_getLogs is limited to a 10,000 range | RANGE_TOO_LARGE",
        "-32602 | query exceeds max results 20000, retry with the range 1-200 | RANGE_TOO_LARGE",
        "-32602 | query exceeds max block range 100000 | RANGE_TOO_LARGE",
        "-32005 | Requested range exceeds maximum range limit | RANGE_TOO_LARGE",
        "-32000 | block range is too wide | RANGE_TOO_LARGE",
        "-32000 | too many logs | RANGE_TOO_LARGE",
        "-32000 | Too Many Requests | RATE_LIMITED",
        "-32007 | 100/second request limit reached | RATE_LIMITED",
        "-32000 | header not found | NODE_ERROR",
        "-32601 | the method eth_foo does not exist | NODE_ERROR"
      })
  void classifiesWhatProvidersAnswer(long code, String message, RpcErrorKind kind) {
    assertThat(RpcErrorKind.ofJsonRpcError(code, message)).isEqualTo(kind);
  }

  @ParameterizedTest
  @CsvSource({"429, RATE_LIMITED", "503, UNAVAILABLE", "502, UNAVAILABLE", "401, UNAVAILABLE"})
  void classifiesHttpStatuses(int status, RpcErrorKind kind) {
    assertThat(RpcErrorKind.ofHttpStatus(status)).isEqualTo(kind);
  }
}
