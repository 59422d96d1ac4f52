package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.CoverageRepository;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.indexer.deployment.Deployments;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.status.IndexerMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the ingest pipeline: node client, decoder, fetcher, ingestor and the loop that drives it.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

  @Bean(destroyMethod = "close")
  ChainClient chainClient(IndexerProperties properties, IndexerMetrics metrics) {
    IndexerProperties.Indexer indexer = properties.indexer();
    return new ChainClient(
        properties.chain().endpoints(),
        indexer.rpcTimeout(),
        indexer.rpcRetryBudget(),
        indexer.rpcBatchSize(),
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
            indexer.progressLogInterval());
    return new IngestLoop(
        properties, chainClient, ingestor, publisher, cursorReader, coverageRepository, metrics);
  }
}
