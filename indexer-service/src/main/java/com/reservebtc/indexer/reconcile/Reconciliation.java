package com.reservebtc.indexer.reconcile;

import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.EventNames;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.schemas.EventIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outcome of comparing the newest indexed blocks with the node: per contract and event, how
 * many logs the node has and how many live records the indexer published (the reorg window holds
 * exactly those, so the comparison is exact across restarts), and which events differ.
 *
 * @param outcome MATCH, MISMATCH, CHAIN_MOVED (the node's chain differs from the committed one: a
 *     reorg the indexer has not processed yet), NOTHING_TO_CHECK or FAILED
 * @param missing ids of events the node has but the indexer did not publish (at most 20)
 * @param unexpected ids of published events the node does not have (at most 20)
 * @param quarantined logs of the compared blocks published to the quarantine topic (they did not
 *     decode); they are compared like events, as {@code Quarantined(<event>)}
 */
public record Reconciliation(
    String outcome,
    String checkedAt,
    long fromBlock,
    long toBlock,
    List<EventCount> events,
    List<String> missing,
    List<String> unexpected,
    String detail,
    long quarantined) {

  private static final int MAX_IDS = 20;

  /** Node and published counts of one event of one contract. */
  public record EventCount(String contract, String event, long node, long published) {}

  public boolean matches() {
    return outcome.equals("MATCH");
  }

  static Reconciliation nothingToCheck(String why) {
    return new Reconciliation(
        "NOTHING_TO_CHECK",
        Instant.now().toString(),
        -1,
        -1,
        List.of(),
        List.of(),
        List.of(),
        why,
        0);
  }

  static Reconciliation failed(String why) {
    return new Reconciliation(
        "FAILED", Instant.now().toString(), -1, -1, List.of(), List.of(), List.of(), why, 0);
  }

  static Reconciliation chainMoved(long from, long to, String why) {
    return new Reconciliation(
        "CHAIN_MOVED", Instant.now().toString(), from, to, List.of(), List.of(), List.of(), why, 0);
  }

  /**
   * Compares the records of {@code window} (the published side) with {@code node} (the node's logs
   * of the same blocks that the indexer is meant to publish, decoded the same way).
   */
  static Reconciliation compare(List<WindowBlock> window, Collection<ChainRecord> node) {
    long from = window.get(0).number();
    long to = window.get(window.size() - 1).number();
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, String> publishedIds = new HashMap<>();
    long quarantined = 0;
    for (WindowBlock block : window) {
      for (ChainRecord record : block.records()) {
        if (EventNames.quarantined(record)) {
          quarantined++;
        }
        counts.computeIfAbsent(key(record), k -> new long[2])[1]++;
        publishedIds.put(EventIds.of(record.log()), key(record));
      }
    }
    Set<String> nodeIds = new HashSet<>();
    List<String> missing = new ArrayList<>();
    for (ChainRecord record : node) {
      counts.computeIfAbsent(key(record), k -> new long[2])[0]++;
      String id = EventIds.of(record.log());
      nodeIds.add(id);
      if (!publishedIds.containsKey(id) && missing.size() < MAX_IDS) {
        missing.add(id);
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String id : publishedIds.keySet()) {
      if (!nodeIds.contains(id) && unexpected.size() < MAX_IDS) {
        unexpected.add(id);
      }
    }
    List<EventCount> events = new ArrayList<>();
    boolean equal = missing.isEmpty() && unexpected.isEmpty();
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      String[] parts = e.getKey().split(" ", 2);
      events.add(new EventCount(parts[0], parts[1], e.getValue()[0], e.getValue()[1]));
      equal &= e.getValue()[0] == e.getValue()[1];
    }
    missing.sort(null);
    unexpected.sort(null);
    return new Reconciliation(
        equal ? "MATCH" : "MISMATCH",
        Instant.now().toString(),
        from,
        to,
        events,
        missing,
        unexpected,
        equal
            ? null
            : missing.size()
                + " event(s) on the node not published, "
                + unexpected.size()
                + " published event(s) not on the node (lists capped at "
                + MAX_IDS
                + ")",
        quarantined);
  }

  private static String key(ChainRecord record) {
    return record.log().getContract() + " " + EventNames.of(record);
  }
}
