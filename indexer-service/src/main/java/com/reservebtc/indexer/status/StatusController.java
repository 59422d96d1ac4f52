package com.reservebtc.indexer.status;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.EndpointStatus;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.BlockRange;
import com.reservebtc.indexer.coverage.DeploymentCoverage;
import com.reservebtc.indexer.deployment.DeploymentRepository;
import com.reservebtc.indexer.ingest.OperatorCommands;
import com.reservebtc.indexer.reconcile.Reconciler;
import com.reservebtc.indexer.reconcile.Reconciliation;
import com.reservebtc.indexer.reorg.WindowBlock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /status}: where the indexer stands, per contract, for operators and the local stack;
 * {@code POST /status/reconcile} compares the newest indexed blocks with the node now; {@code POST
 * /status/rewind?toBlock=N} retracts every record published above block N and indexes again from
 * N+1 (also the way out of a reorg deeper than the reorg window, which names the N to use). These
 * run on the indexer's internal port, which is not exposed publicly.
 */
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
      String headSource,
      List<EndpointStatus> rpcEndpoints,
      CursorView cursor,
      List<DeploymentView> deployments,
      Map<String, Long> publishedSinceStart,
      Reconciliation reconciliation) {}

  /**
   * @param indexedThrough every log of the contract from its start block up to this block is
   *     published
   * @param liveFrom the first block the main pass covers (-1 when no longer configured)
   * @param catchUpBlocks blocks below {@code liveFrom} still to be caught up
   * @param counts live records (published minus retracted) per event
   * @param countsExactFrom the counts cover every block from this one on
   */
  record DeploymentView(
      String kind,
      String address,
      boolean configured,
      long startBlock,
      long liveFrom,
      long indexedThrough,
      long lagBlocks,
      long catchUpBlocks,
      List<String> catchUpRanges,
      Map<String, Long> counts,
      long countsExactFrom,
      String firstSeen,
      String lastSeen) {}

  /** The last cursor written and what its reorg window holds. */
  record CursorView(long bytes, int windowBlocks, long windowRecords) {}

  private final IndexerMetrics metrics;
  private final DeploymentRepository deployments;
  private final ChainClient chain;
  private final Reconciler reconciler;
  private final OperatorCommands commands;
  private final long chainId;

  StatusController(
      IndexerMetrics metrics,
      DeploymentRepository deployments,
      ChainClient chain,
      Reconciler reconciler,
      OperatorCommands commands,
      IndexerProperties properties) {
    this.commands = commands;
    this.metrics = metrics;
    this.deployments = deployments;
    this.chain = chain;
    this.reconciler = reconciler;
    this.chainId = properties.chain().id();
  }

  @GetMapping("/status")
  Status status() {
    IndexerMetrics.Committed committed = metrics.committed();
    BlockRef indexed = committed == null ? null : committed.chain().tip();
    long tip = indexed == null ? -1 : indexed.number();
    long head = metrics.head();
    Map<String, DeploymentRepository.Row> rows = new HashMap<>();
    deployments.findByChain(chainId).forEach(row -> rows.put(row.address().value(), row));
    List<DeploymentView> views = new ArrayList<>();
    long windowRecords = 0;
    int windowBlocks = 0;
    if (committed != null) {
      for (WindowBlock block : committed.chain().window()) {
        windowRecords += block.records().size();
      }
      windowBlocks = committed.chain().window().size();
      for (DeploymentCoverage d : committed.coverage().deployments()) {
        DeploymentRepository.Row row = rows.get(d.address().value());
        long through = d.indexedThrough(tip);
        views.add(
            new DeploymentView(
                d.kind().name(),
                d.address().value(),
                d.active(),
                d.startBlock(),
                d.liveFrom(),
                through,
                head < 0 ? -1 : Math.max(0, head - through),
                d.pendingBlocks(),
                d.gaps().stream().map(BlockRange::toString).toList(),
                d.counts(),
                d.countedFrom(),
                row == null ? null : row.firstSeen().toInstant().toString(),
                row == null ? null : row.lastSeen().toInstant().toString()));
      }
    }
    return new Status(
        chainId,
        metrics.state().name(),
        metrics.failure(),
        tip,
        indexed == null ? null : indexed.hash(),
        head,
        metrics.lag(),
        metrics.webSocketLive() ? "websocket " + metrics.webSocketEndpoint() : "polling",
        chain.endpointStatus(),
        new CursorView(metrics.cursorBytes(), windowBlocks, windowRecords),
        views,
        metrics.publishedSinceStart(),
        reconciler.last());
  }

  @PostMapping("/status/reconcile")
  Reconciliation reconcile() {
    return reconciler.reconcileNow();
  }

  /** The body of a refused command: what was wrong and what to do. */
  record Refusal(String error) {}

  @PostMapping("/status/rewind")
  ResponseEntity<?> rewind(@RequestParam("toBlock") long toBlock) {
    try {
      return ResponseEntity.ok(commands.rewind(toBlock));
    } catch (IllegalArgumentException e) {
      return ResponseEntity.badRequest().body(new Refusal(e.getMessage()));
    } catch (IllegalStateException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT).body(new Refusal(e.getMessage()));
    }
  }
}
