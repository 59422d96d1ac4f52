package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.TopicCheck;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Wires the chain-consumer into a service that defines a {@link Projection}: the module's tables
 * (migrated by a Flyway of their own, history {@code chain_consumer_schema_history}, in the
 * service's schema), the listener container over every catalogue topic the service reads (the
 * service is named by {@code spring.application.name}), the error policy, dead letters and their
 * replay, and the outbox relay.
 */
@AutoConfiguration
@ConditionalOnBean(Projection.class)
@EnableConfigurationProperties({
  ChainConsumerProperties.class,
  OutboxProperties.class,
  KafkaMinimumsProperties.class
})
public class ChainConsumerAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ChainConsumerAutoConfiguration.class);

  /**
   * The module's tables, before anything reads them and after the service's own migrations (its
   * Flyway would refuse a schema that already holds tables but no history of its own).
   */
  @Bean
  @DependsOnDatabaseInitialization
  ChainConsumerSchema chainConsumerSchema(DataSource dataSource, Environment environment) {
    String schema = environment.getProperty("spring.flyway.default-schema");
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .table("chain_consumer_schema_history")
            .locations("classpath:db/chain-consumer")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .createSchemas(true)
            .schemas(schema == null ? new String[0] : new String[] {schema})
            .load();
    flyway.migrate();
    return new ChainConsumerSchema();
  }

  @Bean(destroyMethod = "close")
  Producer<String, byte[]> chainConsumerProducer(KafkaProperties kafka) {
    Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
    // Dead letters and outbox rows count only once every in-sync replica has them.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  @Bean(destroyMethod = "close")
  OutboxRelay outboxRelay(
      ChainConsumerSchema schema,
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      Producer<String, byte[]> chainConsumerProducer,
      OutboxProperties properties) {
    OutboxRelay relay =
        new OutboxRelay(
            jdbc, new TransactionTemplate(transactionManager), chainConsumerProducer, properties);
    relay.start();
    return relay;
  }

  @Bean
  Outbox outbox(JdbcClient jdbc, OutboxRelay relay) {
    return new Outbox(jdbc, relay);
  }

  @Bean
  ConsumedTopics consumedTopics(Environment environment) {
    String name = environment.getRequiredProperty("spring.application.name");
    Service service = Service.byId(name);
    List<Topic<?>> topics = Topics.all().stream().filter(t -> t.readBy(service)).toList();
    return new ConsumedTopics(service, topics);
  }

  @Bean
  BatchApplier batchApplier(
      ChainConsumerSchema schema,
      PlatformTransactionManager transactionManager,
      JdbcClient jdbc,
      Projection projection,
      ConsumedTopics topics,
      MeterRegistry meters) {
    Set<String> chainTopics = new LinkedHashSet<>();
    for (Topic<?> topic : topics.topics()) {
      if (ChainRecords.isChainTopic(topic)) {
        chainTopics.add(topic.name());
      }
    }
    return new BatchApplier(
        new TransactionTemplate(transactionManager), jdbc, projection, chainTopics, meters);
  }

  @Bean
  DeadLetters deadLetters(
      Producer<String, byte[]> chainConsumerProducer,
      ConsumedTopics topics,
      MeterRegistry meters,
      OutboxProperties outbox) {
    return new DeadLetters(
        chainConsumerProducer, groupOf(topics), meters, outbox.sendTimeout().toMillis());
  }

  @Bean
  DeadLetterReplay deadLetterReplay(
      KafkaProperties kafka, BatchApplier applier, JdbcClient jdbc, ConsumedTopics topics) {
    Set<String> names = new LinkedHashSet<>();
    topics.topics().forEach(t -> names.add(t.name()));
    return new DeadLetterReplay(
        () -> {
          Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
          config.remove(ConsumerConfig.GROUP_ID_CONFIG);
          config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
          config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
          return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        },
        applier,
        jdbc,
        groupOf(topics),
        names);
  }

  /**
   * Decodes the consumed records: every catalogue value type in its current and released versions.
   * A record of a version it does not know pauses its partition until the service is upgraded.
   */
  @Bean
  @ConditionalOnMissingBean
  AvroValueDeserializer chainRecordDecoder() {
    return new AvroValueDeserializer();
  }

  @Bean
  ChainConsumer chainConsumer(
      BatchApplier applier,
      DeadLetters deadLetters,
      JdbcClient jdbc,
      MeterRegistry meters,
      AvroValueDeserializer chainRecordDecoder) {
    return new ChainConsumer(applier, deadLetters, jdbc, meters, chainRecordDecoder);
  }

  /**
   * Refuses to start against topics that are missing, have another partition count or cleanup
   * policy than the catalogue's, or are replicated below {@code rbtc.kafka.*}'s minimums; the
   * message lists every violation.
   */
  @Bean
  TopicsChecked chainConsumerTopicsChecked(
      KafkaProperties kafka, KafkaMinimumsProperties minimums, ConsumedTopics topics) {
    try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
      TopicCheck.verify(admin, topics.service(), minimums.minimums(), minimums.checkTimeout());
    }
    log.info(
        "Kafka topics of {} checked (replication >= {}, min.insync.replicas >= {})",
        topics.service().id(),
        minimums.minReplication(),
        minimums.minInsyncReplicas());
    return new TopicsChecked();
  }

  @Bean
  ConcurrentMessageListenerContainer<String, byte[]> chainConsumerContainer(
      TopicsChecked topicsChecked,
      KafkaProperties kafka,
      ChainConsumerProperties properties,
      ConsumedTopics topics,
      ChainConsumer listener,
      ObjectProvider<ChainConsumerContainerCustomizer> customizers) {
    Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(topics));
    // Only records of committed producer transactions (the indexer writes transactionally).
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Positions live in the database; Kafka's offsets are committed after each batch for lag only.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group must see the whole history, or its read model starts from a wrong zero.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
    DefaultKafkaConsumerFactory<String, byte[]> factory =
        new DefaultKafkaConsumerFactory<>(
            config, new StringDeserializer(), new ByteArrayDeserializer());
    ContainerProperties container =
        new ContainerProperties(topics.topics().stream().map(Topic::name).toArray(String[]::new));
    container.setAckMode(ContainerProperties.AckMode.BATCH);
    container.setMessageListener(listener);
    container.setConsumerRebalanceListener(listener);
    container.setGroupId(groupOf(topics));
    ConcurrentMessageListenerContainer<String, byte[]> result =
        new ConcurrentMessageListenerContainer<>(factory, container);
    result.setConcurrency(properties.concurrency());
    result.setCommonErrorHandler(transientRetries(properties));
    result.setBeanName("chainConsumer");
    customizers.orderedStream().forEach(c -> c.customize(result));
    log.info(
        "consuming {} topic(s) as group {} with {} thread(s): {}",
        topics.topics().size(),
        groupOf(topics),
        properties.concurrency(),
        topics.topics().stream().map(Topic::name).toList());
    return result;
  }

  /**
   * Only transient failures reach the container (the listener dead-letters the rest itself): the
   * batch is retried without limit, with a pause growing to {@code max-backoff}, while the
   * partitions stay paused.
   */
  private static DefaultErrorHandler transientRetries(ChainConsumerProperties properties) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(properties.initialBackoff().toMillis(), 2.0);
    backOff.setMaxInterval(properties.maxBackoff().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            (record, failure) ->
                log.error(
                    "giving up a record after unlimited retries should never happen: {}",
                    record,
                    failure),
            backOff);
    handler.setAckAfterHandle(false);
    return handler;
  }

  private static String groupOf(ConsumedTopics topics) {
    return topics.service().id();
  }

  /** The service's topics passed {@link TopicCheck} (a marker bean the container depends on). */
  static final class TopicsChecked {}

  /** The module's tables exist (a marker bean others depend on). */
  static final class ChainConsumerSchema {}

  /**
   * The service and the catalogue topics it consumes.
   *
   * @param service the consuming service
   * @param topics every catalogue topic it reads
   */
  public record ConsumedTopics(Service service, List<Topic<?>> topics) {}

  /** A hook for tests and services to adjust the container (e.g. not to start it at once). */
  @FunctionalInterface
  public interface ChainConsumerContainerCustomizer {
    void customize(ConcurrentMessageListenerContainer<String, byte[]> container);
  }
}
