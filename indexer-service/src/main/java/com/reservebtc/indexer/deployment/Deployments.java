package com.reservebtc.indexer.deployment;

import com.reservebtc.indexer.config.IndexerProperties;
import java.util.List;
import org.springframework.stereotype.Component;

/** The contracts this instance indexes, resolved and validated once from configuration. */
@Component
public class Deployments {

  private final List<Deployment> all;

  Deployments(IndexerProperties properties) {
    this.all = properties.contracts().all();
  }

  public List<Deployment> all() {
    return all;
  }
}
