package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import java.util.List;
import org.springframework.stereotype.Component;

/** The topics the gateway projects; the listener subscribes to exactly these. */
@Component("projectedTopics")
public final class ProjectedTopics {

  static final List<Topic<?>> TOPICS =
      List.of(
          Topics.CHAIN_SYNCED,
          Topics.CHAIN_TOKEN_TRANSFERS,
          Topics.CHAIN_FEE_VAULT,
          Topics.CHAIN_EMERGENCY_BURNS,
          Topics.CHAIN_BLOCKS,
          Topics.ORACLE_BINDINGS,
          Topics.ORACLE_OPERATIONS,
          Topics.RESERVES_ATTESTATIONS,
          Topics.EMERGENCY_ALERTS,
          Topics.YIELD_PARTICIPANTS,
          Topics.CHAIN_YIELD_POOL);

  /** The topic names, for the listener's {@code topics} expression. */
  public String[] names() {
    return TOPICS.stream().map(Topic::name).toArray(String[]::new);
  }

  /** The topics, e.g. for tests that create them. */
  public static List<Topic<?>> all() {
    return TOPICS;
  }
}
