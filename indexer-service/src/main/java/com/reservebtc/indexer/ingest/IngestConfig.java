package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.indexer.deployment.Deployments;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.status.IndexerMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the ingest pipeline: node client, decoder, ingestor and the loop that drives it. */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

  @Bean(destroyMethod = "close")
  ChainClient chainClient(IndexerProperties properties) {
    IndexerProperties.Indexer indexer = properties.indexer();
    return new ChainClient(
        properties.chain().rpcUrl(), indexer.rpcTimeout(), indexer.rpcBatchSize());
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
      IndexerMetrics metrics) {
    Ingestor ingestor =
        new Ingestor(properties, deployments.all(), chainClient, logDecoder, publisher, metrics);
    return new IngestLoop(properties, chainClient, ingestor, publisher, cursorReader, metrics);
  }
}
