package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import java.util.List;
import org.springframework.stereotype.Component;

/** The topics the gateway projects; the listener subscribes to exactly these. */
@Component("projectedTopics")
public final class ProjectedTopics {

  /** Every catalogue topic the gateway is a reader of. */
  static final List<Topic<?>> TOPICS =
      Topics.all().stream().filter(t -> t.readBy(Service.GATEWAY)).toList();

  /** The topic names, for the listener's {@code topics} expression. */
  public String[] names() {
    return TOPICS.stream().map(Topic::name).toArray(String[]::new);
  }

  /** The topics, e.g. for tests that create them. */
  public static List<Topic<?>> all() {
    return TOPICS;
  }
}
