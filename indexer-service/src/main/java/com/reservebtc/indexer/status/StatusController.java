package com.reservebtc.indexer.status;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.deployment.DeploymentRepository;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /status}: where the indexer stands, for operators and the local stack. */
@RestController
class StatusController {

  /** The JSON body of {@code /status}. Block numbers are -1 (and hashes null) until known. */
  record Status(
      long chainId,
      String state,
      String failure,
      long indexedBlock,
      String indexedBlockHash,
      long headBlock,
      long lagBlocks,
      Map<String, Long> publishedSinceStart,
      List<DeploymentView> deployments) {}

  record DeploymentView(
      String kind, String address, long startBlock, String firstSeen, String lastSeen) {}

  private final IndexerMetrics metrics;
  private final DeploymentRepository deployments;
  private final long chainId;

  StatusController(
      IndexerMetrics metrics, DeploymentRepository deployments, IndexerProperties properties) {
    this.metrics = metrics;
    this.deployments = deployments;
    this.chainId = properties.chain().id();
  }

  @GetMapping("/status")
  Status status() {
    BlockRef indexed = metrics.indexed();
    return new Status(
        chainId,
        metrics.state().name(),
        metrics.failure(),
        indexed == null ? -1 : indexed.number(),
        indexed == null ? null : indexed.hash(),
        metrics.head(),
        metrics.lag(),
        metrics.publishedSinceStart(),
        deployments.findByChain(chainId).stream()
            .map(
                row ->
                    new DeploymentView(
                        row.kind().name(),
                        row.address().value(),
                        row.startBlock(),
                        row.firstSeen().toInstant().toString(),
                        row.lastSeen().toInstant().toString()))
            .toList());
  }
}
