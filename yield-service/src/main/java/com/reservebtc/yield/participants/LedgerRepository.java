package com.reservebtc.yield.participants;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code yield_ledger} and {@code yield_scales_participants}, set-based: each method is one SQL
 * statement over arrays, whatever the number of rows. Runs in the caller's transaction.
 */
@Repository
class LedgerRepository {

  private static final String ENTRY_COLUMNS =
      """
      l.event_id, l.chain_id, l.block_number, l.log_index, l.tx_hash, l.block_hash,
      extract(epoch from l.block_time)::bigint as block_seconds, l.user_address, l.kind, l.amount,
      l.participant_type, l.details
      """;

  private static final String STATE_COLUMNS =
      """
      l.user_address, l.type_after, l.balance_after, l.contribution_after, l.registered_after,
      extract(epoch from l.joined_at_after)::bigint as joined_seconds,
      extract(epoch from l.last_accrual_after)::bigint as accrual_seconds, l.accrued_after,
      l.event_id, extract(epoch from l.block_time)::bigint as block_seconds, l.chain_id,
      l.block_number
      """;

  private final JdbcClient jdbc;

  LedgerRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An entry removed (retracted, or about to be stored again from another block). */
  record Removed(String user, ChainPosition position) {}

  /** Deletes {@code eventIds}' entries; returns where they were. */
  List<Removed> remove(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            delete from yield_ledger where event_id = any(:ids)
            returning user_address, chain_id, block_number, log_index, event_id
            """)
        .param("ids", eventIds.toArray(String[]::new))
        .query(
            (rs, n) ->
                new Removed(
                    rs.getString(1),
                    new ChainPosition(rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getString(5))))
        .list();
  }

  /**
   * Inserts the entries the steps folded, with every computed column: the supply values of {@code
   * supply} and what each step computed (see {@link #updateSteps}).
   */
  void insert(List<LedgerFold.Step> steps, Map<String, SupplyUpdate> supply) {
    if (steps.isEmpty()) {
      return;
    }
    int n = steps.size();
    String[] ids = new String[n];
    Long[] chains = new Long[n];
    Long[] blocks = new Long[n];
    Integer[] indexes = new Integer[n];
    String[] txs = new String[n];
    String[] hashes = new String[n];
    Long[] times = new Long[n];
    String[] users = new String[n];
    String[] kinds = new String[n];
    BigDecimal[] amounts = new BigDecimal[n];
    Integer[] types = new Integer[n];
    String[] details = new String[n];
    Integer[] rates = new Integer[n];
    Long[] supplies = new Long[n];
    Long[] peaks = new Long[n];
    StepColumns computed = StepColumns.of(steps);
    for (int i = 0; i < n; i++) {
      LedgerEntry e = steps.get(i).entry();
      SupplyUpdate values = supply.get(e.eventId());
      ids[i] = e.eventId();
      chains[i] = e.chainId();
      blocks[i] = e.blockNumber();
      indexes[i] = e.logIndex();
      txs[i] = e.txHash();
      hashes[i] = e.blockHash();
      times[i] = e.time();
      users[i] = e.user();
      kinds[i] = e.kind().name();
      amounts[i] = new BigDecimal(e.amount());
      types[i] = e.participantType();
      details[i] = e.details();
      rates[i] = values.rateBps();
      supplies[i] = values.supplyAfter();
      peaks[i] = values.peakAfter();
    }
    jdbc.sql(
            """
            insert into yield_ledger (event_id, chain_id, block_number, log_index, tx_hash,
              block_hash, block_time, user_address, kind, amount, participant_type, details,
              rate_bps, supply_after, peak_after, participant, multiplier_pct, elapsed_seconds,
              owed, balance_after, contribution_after, accrued_after, last_accrual_after,
              joined_at_after, type_after, registered_after)
            select u.id, u.chain, u.block, u.idx, u.tx, u.hash, to_timestamp(u.t), u.usr, u.kind,
              u.amount, u.type, u.details, u.rate, u.supply, u.peak, u.participant, u.multiplier,
              u.elapsed, u.owed, u.balance, u.contribution, u.accrued, to_timestamp(u.accrual),
              to_timestamp(u.joined), u.type_after, u.registered
            from unnest(:ids::text[], :chains::bigint[], :blocks::bigint[], :indexes::int[],
                        :txs::text[], :hashes::text[], :times::bigint[], :users::text[],
                        :kinds::text[], :amounts::numeric[], :types::smallint[], :details::text[],
                        :rates::int[], :supplies::bigint[], :peaks::bigint[],
                        :participant::boolean[], :multipliers::int[], :elapsed::bigint[],
                        :owed::numeric[], :balances::bigint[], :contributions::bigint[],
                        :accrued::numeric[], :accruals::bigint[], :joined::bigint[],
                        :typesAfter::smallint[], :registered::boolean[])
              as u(id, chain, block, idx, tx, hash, t, usr, kind, amount, type, details, rate,
                   supply, peak, participant, multiplier, elapsed, owed, balance, contribution,
                   accrued, accrual, joined, type_after, registered)
            """)
        .param("ids", ids)
        .param("chains", chains)
        .param("blocks", blocks)
        .param("indexes", indexes)
        .param("txs", txs)
        .param("hashes", hashes)
        .param("times", times)
        .param("users", users)
        .param("kinds", kinds)
        .param("amounts", amounts)
        .param("types", types)
        .param("details", details)
        .param("rates", rates)
        .param("supplies", supplies)
        .param("peaks", peaks)
        .param("participant", computed.participant())
        .param("multipliers", computed.multipliers())
        .param("elapsed", computed.elapsed())
        .param("owed", computed.owed())
        .param("balances", computed.balances())
        .param("contributions", computed.contributions())
        .param("accrued", computed.accrued())
        .param("accruals", computed.accruals())
        .param("joined", computed.joined())
        .param("typesAfter", computed.types())
        .param("registered", computed.registered())
        .update();
  }

  /** Supply and peak after the chain's last mint or burn before {@code from}; zeros if none. */
  long[] supplyBefore(ChainPosition from) {
    return jdbc.sql(
            """
            select supply_after, peak_after from yield_ledger
            where chain_id = :chain and kind in ('MINT', 'BURN')
              and (block_number, log_index, event_id) < (:block, :idx, :id)
            order by block_number desc, log_index desc, event_id desc limit 1
            """)
        .param("chain", from.chainId())
        .param("block", from.blockNumber())
        .param("idx", from.logIndex())
        .param("id", from.eventId())
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .optional()
        .orElse(new long[] {0, 0});
  }

  /** A row of a chain as the supply fold needs it. */
  record SupplyRow(
      String eventId,
      String user,
      ChainPosition position,
      boolean movesSupply,
      long delta,
      Integer rateBps,
      Long supplyAfter,
      Long peakAfter) {}

  /** The chain's entries from {@code from} on, in chain order. */
  List<SupplyRow> chainFrom(ChainPosition from) {
    return jdbc.sql(
            """
            select event_id, user_address, block_number, log_index,
              case kind when 'MINT' then amount::bigint when 'BURN' then -amount::bigint
                        else 0 end as delta,
              kind in ('MINT', 'BURN') as moves, rate_bps, supply_after, peak_after
            from yield_ledger
            where chain_id = :chain and (block_number, log_index, event_id) >= (:block, :idx, :id)
            order by block_number, log_index, event_id
            """)
        .param("chain", from.chainId())
        .param("block", from.blockNumber())
        .param("idx", from.logIndex())
        .param("id", from.eventId())
        .query(
            (rs, n) ->
                new SupplyRow(
                    rs.getString(1),
                    rs.getString(2),
                    new ChainPosition(from.chainId(), rs.getLong(3), rs.getInt(4), rs.getString(1)),
                    rs.getBoolean(6),
                    rs.getLong(5),
                    (Integer) rs.getObject(7),
                    (Long) rs.getObject(8),
                    (Long) rs.getObject(9)))
        .list();
  }

  /** New rate, supply and peak of entries. */
  record SupplyUpdate(String eventId, int rateBps, Long supplyAfter, Long peakAfter) {}

  void updateSupply(List<SupplyUpdate> updates) {
    if (updates.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            update yield_ledger l set rate_bps = u.rate, supply_after = u.supply,
              peak_after = u.peak
            from unnest(:ids::text[], :rates::int[], :supplies::bigint[], :peaks::bigint[])
              as u(id, rate, supply, peak)
            where l.event_id = u.id
            """)
        .param("ids", updates.stream().map(SupplyUpdate::eventId).toArray(String[]::new))
        .param("rates", updates.stream().map(SupplyUpdate::rateBps).toArray(Integer[]::new))
        .param("supplies", updates.stream().map(SupplyUpdate::supplyAfter).toArray(Long[]::new))
        .param("peaks", updates.stream().map(SupplyUpdate::peakAfter).toArray(Long[]::new))
        .update();
  }

  /**
   * Per user, the participant after their last state-changing entry before the user's start (none:
   * the user was no participant there).
   */
  Map<String, Participant> statesBefore(Map<String, ChainPosition> starts) {
    Map<String, Participant> states = new HashMap<>();
    if (starts.isEmpty()) {
      return states;
    }
    Starts s = Starts.of(starts);
    jdbc.sql(
            "select distinct on (l.user_address) "
                + STATE_COLUMNS
                + """
                from yield_ledger l
                join unnest(:users::text[], :chains::bigint[], :blocks::bigint[], :indexes::int[],
                            :ids::text[])
                  as s(usr, chain, block, idx, id) on l.user_address = s.usr
                where (l.chain_id, l.block_number, l.log_index, l.event_id)
                      < (s.chain, s.block, s.idx, s.id)
                  and l.participant
                  and l.kind in ('MINT', 'BURN', 'AGGREGATOR_BURN', 'JOINED', 'CLAIMED')
                order by l.user_address, l.chain_id desc, l.block_number desc, l.log_index desc,
                  l.event_id desc
                """)
        .param("users", s.users())
        .param("chains", s.chains())
        .param("blocks", s.blocks())
        .param("indexes", s.indexes())
        .param("ids", s.ids())
        .query(
            rs -> {
              Participant p = stateOf(rs);
              states.put(p.user(), p);
            });
    return states;
  }

  /** Per user, their entries from the user's start on, in chain order, with their rates. */
  Map<String, List<LedgerFold.Input>> entriesFrom(Map<String, ChainPosition> starts) {
    Map<String, List<LedgerFold.Input>> entries = new HashMap<>();
    if (starts.isEmpty()) {
      return entries;
    }
    Starts s = Starts.of(starts);
    jdbc.sql(
            "select "
                + ENTRY_COLUMNS
                + """
                , l.rate_bps
                from yield_ledger l
                join unnest(:users::text[], :chains::bigint[], :blocks::bigint[], :indexes::int[],
                            :ids::text[])
                  as s(usr, chain, block, idx, id) on l.user_address = s.usr
                where (l.chain_id, l.block_number, l.log_index, l.event_id)
                      >= (s.chain, s.block, s.idx, s.id)
                order by l.user_address, l.chain_id, l.block_number, l.log_index, l.event_id
                """)
        .param("users", s.users())
        .param("chains", s.chains())
        .param("blocks", s.blocks())
        .param("indexes", s.indexes())
        .param("ids", s.ids())
        .query(
            rs -> {
              LedgerEntry entry = entryOf(rs);
              entries
                  .computeIfAbsent(entry.user(), u -> new ArrayList<>())
                  .add(new LedgerFold.Input(entry, rs.getInt("rate_bps")));
            });
    return entries;
  }

  /** Stores what each step computed on entries already stored. */
  void updateSteps(List<LedgerFold.Step> steps) {
    if (steps.isEmpty()) {
      return;
    }
    StepColumns computed = StepColumns.of(steps);
    jdbc.sql(
            """
            update yield_ledger l set participant = u.participant, multiplier_pct = u.multiplier,
              elapsed_seconds = u.elapsed, owed = u.owed, balance_after = u.balance,
              contribution_after = u.contribution, accrued_after = u.accrued,
              last_accrual_after = to_timestamp(u.accrual), joined_at_after = to_timestamp(u.joined),
              type_after = u.type, registered_after = u.registered
            from unnest(:ids::text[], :participant::boolean[], :multipliers::int[],
                        :elapsed::bigint[], :owed::numeric[], :balances::bigint[],
                        :contributions::bigint[], :accrued::numeric[], :accruals::bigint[],
                        :joined::bigint[], :types::smallint[], :registered::boolean[])
              as u(id, participant, multiplier, elapsed, owed, balance, contribution, accrued,
                   accrual, joined, type, registered)
            where l.event_id = u.id
            """)
        .param("ids", computed.ids())
        .param("participant", computed.participant())
        .param("multipliers", computed.multipliers())
        .param("elapsed", computed.elapsed())
        .param("owed", computed.owed())
        .param("balances", computed.balances())
        .param("contributions", computed.contributions())
        .param("accrued", computed.accrued())
        .param("accruals", computed.accruals())
        .param("joined", computed.joined())
        .param("types", computed.types())
        .param("registered", computed.registered())
        .update();
  }

  /** What the steps computed, column by column, as SQL array parameters. */
  private record StepColumns(
      String[] ids,
      Boolean[] participant,
      Integer[] multipliers,
      Long[] elapsed,
      BigDecimal[] owed,
      Long[] balances,
      Long[] contributions,
      BigDecimal[] accrued,
      Long[] accruals,
      Long[] joined,
      Integer[] types,
      Boolean[] registered) {

    static StepColumns of(List<LedgerFold.Step> steps) {
      int n = steps.size();
      StepColumns c =
          new StepColumns(
              new String[n],
              new Boolean[n],
              new Integer[n],
              new Long[n],
              new BigDecimal[n],
              new Long[n],
              new Long[n],
              new BigDecimal[n],
              new Long[n],
              new Long[n],
              new Integer[n],
              new Boolean[n]);
      for (int i = 0; i < n; i++) {
        LedgerFold.Step step = steps.get(i);
        Participant p = step.after();
        c.ids[i] = step.entry().eventId();
        c.participant[i] = p != null;
        c.multipliers[i] = step.multiplierPct();
        c.elapsed[i] = step.elapsedSeconds();
        c.owed[i] = new BigDecimal(step.owed());
        if (p != null) {
          c.balances[i] = p.rbtcBalanceSats();
          c.contributions[i] = p.contributionSats();
          c.accrued[i] = new BigDecimal(p.accruedYield());
          c.accruals[i] = p.lastAccrualAt();
          c.joined[i] = p.joinedAt();
          c.types[i] = p.participantType();
          c.registered[i] = p.registeredOnChain();
        }
      }
      return c;
    }
  }

  private static final String PARTICIPANT_COLUMNS =
      """
      user_address, participant_type, rbtc_balance_sats, contribution_sats, registered_on_chain,
      extract(epoch from joined_at)::bigint as joined_seconds,
      extract(epoch from last_accrual_at)::bigint as accrual_seconds, accrued_yield, last_event_id,
      extract(epoch from last_event_at)::bigint as event_seconds, chain_id, state_block_number
      """;

  Map<String, Participant> participants(Collection<String> users) {
    Map<String, Participant> found = new HashMap<>();
    if (users.isEmpty()) {
      return found;
    }
    jdbc.sql(
            "select "
                + PARTICIPANT_COLUMNS
                + " from yield_scales_participants where user_address = any(:users)")
        .param("users", users.toArray(String[]::new))
        .query(
            rs -> {
              Participant p = participantOf(rs);
              found.put(p.user(), p);
            });
    return found;
  }

  /** Inserts or replaces participant rows. */
  void upsert(List<Participant> participants) {
    if (participants.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into yield_scales_participants (user_address, participant_type,
              rbtc_balance_sats, contribution_sats, eligible, registered_on_chain, joined_at,
              last_accrual_at, accrued_yield, last_event_id, last_event_at, chain_id,
              state_block_number)
            select u.usr, u.type, u.balance, u.contribution, u.balance > 0, u.registered,
              to_timestamp(u.joined), to_timestamp(u.accrual), u.accrued, u.event,
              to_timestamp(u.event_at), u.chain, u.block
            from unnest(:users::text[], :types::smallint[], :balances::bigint[],
                        :contributions::bigint[], :registered::boolean[], :joined::bigint[],
                        :accruals::bigint[], :accrued::numeric[], :events::text[],
                        :eventAts::bigint[], :chains::bigint[], :blocks::bigint[])
              as u(usr, type, balance, contribution, registered, joined, accrual, accrued, event,
                   event_at, chain, block)
            on conflict (user_address) do update set
              participant_type = excluded.participant_type,
              rbtc_balance_sats = excluded.rbtc_balance_sats,
              contribution_sats = excluded.contribution_sats, eligible = excluded.eligible,
              registered_on_chain = excluded.registered_on_chain, joined_at = excluded.joined_at,
              last_accrual_at = excluded.last_accrual_at, accrued_yield = excluded.accrued_yield,
              last_event_id = excluded.last_event_id, last_event_at = excluded.last_event_at,
              chain_id = excluded.chain_id, state_block_number = excluded.state_block_number
            """)
        .param("users", participants.stream().map(Participant::user).toArray(String[]::new))
        .param(
            "types",
            participants.stream().map(Participant::participantType).toArray(Integer[]::new))
        .param(
            "balances",
            participants.stream().map(Participant::rbtcBalanceSats).toArray(Long[]::new))
        .param(
            "contributions",
            participants.stream().map(Participant::contributionSats).toArray(Long[]::new))
        .param(
            "registered",
            participants.stream().map(Participant::registeredOnChain).toArray(Boolean[]::new))
        .param("joined", participants.stream().map(Participant::joinedAt).toArray(Long[]::new))
        .param(
            "accruals", participants.stream().map(Participant::lastAccrualAt).toArray(Long[]::new))
        .param(
            "accrued",
            participants.stream()
                .map(p -> new BigDecimal(p.accruedYield()))
                .toArray(BigDecimal[]::new))
        .param("events", participants.stream().map(Participant::lastEventId).toArray(String[]::new))
        .param("eventAts", participants.stream().map(Participant::lastEventAt).toArray(Long[]::new))
        .param("chains", participants.stream().map(Participant::chainId).toArray(Long[]::new))
        .param(
            "blocks", participants.stream().map(Participant::stateBlockNumber).toArray(Long[]::new))
        .update();
  }

  void delete(Collection<String> users) {
    if (users.isEmpty()) {
      return;
    }
    jdbc.sql("delete from yield_scales_participants where user_address = any(:users)")
        .param("users", users.toArray(String[]::new))
        .update();
  }

  static Participant participantOf(ResultSet rs) throws SQLException {
    return new Participant(
        rs.getString("user_address"),
        rs.getInt("participant_type"),
        rs.getLong("rbtc_balance_sats"),
        rs.getLong("contribution_sats"),
        rs.getBoolean("registered_on_chain"),
        rs.getLong("joined_seconds"),
        rs.getLong("accrual_seconds"),
        rs.getBigDecimal("accrued_yield").toBigIntegerExact(),
        rs.getString("last_event_id"),
        rs.getLong("event_seconds"),
        rs.getLong("chain_id"),
        rs.getLong("state_block_number"));
  }

  private static Participant stateOf(ResultSet rs) throws SQLException {
    return new Participant(
        rs.getString("user_address"),
        rs.getInt("type_after"),
        rs.getLong("balance_after"),
        rs.getLong("contribution_after"),
        rs.getBoolean("registered_after"),
        rs.getLong("joined_seconds"),
        rs.getLong("accrual_seconds"),
        rs.getBigDecimal("accrued_after").toBigIntegerExact(),
        rs.getString("event_id"),
        rs.getLong("block_seconds"),
        rs.getLong("chain_id"),
        rs.getLong("block_number"));
  }

  private static LedgerEntry entryOf(ResultSet rs) throws SQLException {
    return new LedgerEntry(
        rs.getString("event_id"),
        rs.getLong("chain_id"),
        rs.getLong("block_number"),
        rs.getInt("log_index"),
        rs.getString("tx_hash"),
        rs.getString("block_hash"),
        rs.getLong("block_seconds"),
        rs.getString("user_address"),
        EntryKind.valueOf(rs.getString("kind")),
        rs.getBigDecimal("amount").toBigIntegerExact(),
        rs.getObject("participant_type") == null ? null : rs.getInt("participant_type"),
        rs.getString("details"));
  }

  private record Starts(
      String[] users, Long[] chains, Long[] blocks, Integer[] indexes, String[] ids) {
    static Starts of(Map<String, ChainPosition> starts) {
      int n = starts.size();
      String[] users = new String[n];
      Long[] chains = new Long[n];
      Long[] blocks = new Long[n];
      Integer[] indexes = new Integer[n];
      String[] ids = new String[n];
      int i = 0;
      for (Map.Entry<String, ChainPosition> e : starts.entrySet()) {
        users[i] = e.getKey();
        chains[i] = e.getValue().chainId();
        blocks[i] = e.getValue().blockNumber();
        indexes[i] = e.getValue().logIndex();
        ids[i] = e.getValue().eventId();
        i++;
      }
      return new Starts(users, chains, blocks, indexes, ids);
    }
  }

  static BigInteger integer(BigDecimal value) {
    return value == null ? null : value.toBigIntegerExact();
  }
}
