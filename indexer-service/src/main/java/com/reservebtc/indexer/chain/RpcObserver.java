package com.reservebtc.indexer.chain;

/** Told about every failed attempt and every switch of endpoint, for metrics. Thread-safe. */
public interface RpcObserver {

  /**
   * @param endpoint the endpoint's display name (never its full URL, which may hold an API key)
   */
  void failure(String endpoint, String method, RpcErrorKind kind);

  void failover(String from, String to);

  RpcObserver NONE =
      new RpcObserver() {
        @Override
        public void failure(String endpoint, String method, RpcErrorKind kind) {}

        @Override
        public void failover(String from, String to) {}
      };
}
