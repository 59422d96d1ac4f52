package com.reservebtc.devstack.chaos;

import java.util.List;

/**
 * One read model compared with the chain. Each implementation knows one table or endpoint of one
 * service and nothing else, so a service that changes its storage changes one class here.
 */
interface ReadModelCheck {

  /** The read model, e.g. {@code gateway.transactions}. */
  String readModel();

  /** Every difference from the chain; empty when the read model equals it. */
  List<Mismatch> check(Verification v) throws Exception;
}
