package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.CoverageRepository;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.indexer.deployment.Deployments;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.reorg.WindowRepository;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.TopicCheck;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Wires the ingest pipeline: node client, decoder, fetcher, ingestor and the loop that drives it.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

  private static final Logger log = LoggerFactory.getLogger(IngestConfig.class);

  @Bean(destroyMethod = "close")
  ChainClient chainClient(IndexerProperties properties, IndexerMetrics metrics) {
    IndexerProperties.Indexer indexer = properties.indexer();
    return new ChainClient(
        properties.chain().endpoints(),
        indexer.rpcTimeout(),
        indexer.rpcRetryBudget(),
        indexer.rpcBatchSize(),
        indexer.maxLogsPerResponse(),
        indexer.maxResponseBytes().toBytes(),
        metrics);
  }

  @Bean
  LogDecoder logDecoder(IndexerProperties properties, Deployments deployments) {
    return new LogDecoder(properties.chain().id(), deployments.all());
  }

  @Bean
  IngestLoop ingestLoop(
      IndexerProperties properties,
      Deployments deployments,
      ChainClient chainClient,
      LogDecoder logDecoder,
      ChainPublisher publisher,
      CursorReader cursorReader,
      CoverageRepository coverageRepository,
      WindowRepository windowRepository,
      KafkaAdmin kafkaAdmin,
      IndexerMetrics metrics) {
    IndexerProperties.Indexer indexer = properties.indexer();
    RangeFetcher fetcher =
        new RangeFetcher(
            chainClient,
            logDecoder,
            indexer.fetchConcurrency(),
            indexer.maxBlockRange(),
            indexer.targetLogsPerRequest());
    Ingestor ingestor =
        new Ingestor(
            properties.chain().id(),
            deployments.all(),
            chainClient,
            fetcher,
            publisher,
            metrics,
            properties.chain().confirmationDepth(),
            properties.chain().finalizedDepth(),
            indexer.maxBlockRange(),
            indexer.maxRecordsPerTransaction(),
            indexer.progressLogInterval(),
            properties.chain().nodeFinality(),
            windowRepository);
    return new IngestLoop(
        properties,
        chainClient,
        ingestor,
        publisher,
        cursorReader,
        coverageRepository,
        metrics,
        () -> checkTopics(kafkaAdmin, properties.kafka()));
  }

  /**
   * Refuses to start against topics that are missing, not compacted (the cursor), compacted (the
   * events) or replicated below the configured minimums.
   */
  private static void checkTopics(KafkaAdmin kafkaAdmin, IndexerProperties.Kafka kafka) {
    try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
      TopicCheck.verify(
          admin,
          Service.INDEXER,
          new TopicCheck.Minimums(kafka.minReplication(), kafka.minInsyncReplicas()),
          Duration.ofSeconds(30));
    }
    log.info(
        "Kafka topics of {} checked (replication >= {}, min.insync.replicas >= {})",
        Service.INDEXER.id(),
        kafka.minReplication(),
        kafka.minInsyncReplicas());
  }
}
