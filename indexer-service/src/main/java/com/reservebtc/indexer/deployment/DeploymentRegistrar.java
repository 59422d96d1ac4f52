package com.reservebtc.indexer.deployment;

import com.reservebtc.indexer.config.IndexerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/** Records the configured deployments in the database when the service starts. */
@Component
class DeploymentRegistrar implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(DeploymentRegistrar.class);

  private final DeploymentRepository repository;
  private final Deployments deployments;
  private final long chainId;

  DeploymentRegistrar(
      DeploymentRepository repository, Deployments deployments, IndexerProperties properties) {
    this.repository = repository;
    this.deployments = deployments;
    this.chainId = properties.chain().id();
  }

  @Override
  public void afterPropertiesSet() {
    repository.upsert(chainId, deployments.all());
    deployments
        .all()
        .forEach(
            d ->
                log.info(
                    "Indexing {} at {} from block {} on chain {}",
                    d.kind(),
                    d.address(),
                    d.startBlock(),
                    chainId));
  }
}
