package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.web.ApiException;
import com.reservebtc.reserves.verifier.ProofStep;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.SumNode;
import com.reservebtc.reserves.verifier.SumTree;
import com.reservebtc.schemas.Keys;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proof-of-reserves reads (rbtc-por-v2).
 *
 * <p>Public — the gateway forwards them: {@code GET /api/reserves/latest}, {@code /{sequence}},
 * {@code /history}, {@code /{sequence}/export.jsonl} (only what the tree needs: leaf hash and sum
 * per leaf) and {@code /proof} (the caller's own leaf, salt and path, only with the address's
 * signature over a fresh {@link ProofRequest}).
 *
 * <p>Operator-only — never forwarded: {@code GET /api/operator/reserves/{sequence}/accounts.jsonl},
 * every leaf with its EVM address, salt and Bitcoin addresses, from which the whole tree can be
 * audited.
 *
 * <p>404 {@code no_snapshot} for an unknown snapshot, {@code no_leaf} for an address without one;
 * 410 {@code leaves_pruned} when a snapshot's leaves were pruned (its statement stays).
 */
@RestController
class ReservesController {

  static final MediaType JSONL = MediaType.parseMediaType("application/x-ndjson");
  private static final int MAX_HISTORY = 500;

  private final ReserveRepository repository;
  private final SystemContracts systemContracts;
  private final ReservesProperties properties;
  private final ObjectProvider<AttestationKey> key;
  private final JsonMapper json;
  private final Clock clock;

  /** The tree of the snapshot asked for last; proofs for the latest snapshot reuse it. */
  private volatile CachedTree cached;

  ReservesController(
      ReserveRepository repository,
      SystemContracts systemContracts,
      ReservesProperties properties,
      ObjectProvider<AttestationKey> key,
      JsonMapper json,
      Clock clock) {
    this.repository = repository;
    this.systemContracts = systemContracts;
    this.properties = properties;
    this.key = key;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/api/reserves/latest")
  AttestationView latest() {
    return AttestationView.of(latestSnapshot());
  }

  @GetMapping("/api/reserves/{sequence}")
  AttestationView bySequence(@PathVariable long sequence) {
    return AttestationView.of(snapshot(sequence));
  }

  @GetMapping("/api/reserves/history")
  HistoryView history(
      @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > MAX_HISTORY) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_HISTORY);
    }
    AttestationKey current = key.getIfAvailable();
    return new HistoryView(
        current == null ? null : current.address(),
        repository.history(before == null ? Long.MAX_VALUE : before, limit).stream()
            .map(AttestationView::of)
            .toList());
  }

  /** {@code system_contracts}: every attestation signer (and the aggregator and committee). */
  @GetMapping("/api/reserves/signers")
  List<SystemContracts.Entry> signers() {
    return systemContracts.all();
  }

  @GetMapping("/api/reserves/{sequence}/export.jsonl")
  ResponseEntity<StreamingResponseBody> export(@PathVariable long sequence) {
    ReserveSnapshot snapshot = snapshot(sequence);
    List<SumNode> leaves = repository.leafNodes(snapshot.id());
    if (leaves.isEmpty()) {
      throw pruned(sequence);
    }
    StreamingResponseBody body =
        (OutputStream out) -> {
          for (int i = 0; i < leaves.size(); i++) {
            out.write(
                json.writeValueAsBytes(
                    new ExportLine(i, leaves.get(i).hashHex(), leaves.get(i).sum())));
            out.write('\n');
          }
        };
    return ResponseEntity.ok()
        .contentType(JSONL)
        .header("Content-Disposition", "attachment; filename=\"reserves-" + sequence + ".jsonl\"")
        .body(body);
  }

  @GetMapping("/api/reserves/proof")
  ProofView proof(
      @RequestParam String address,
      @RequestParam(required = false) String timestamp,
      @RequestParam(required = false) String signature,
      @RequestParam(required = false) Long sequence) {
    String eth = Keys.user(address);
    ProofRequest.authorize(
        eth, timestamp, signature, clock.instant(), properties.proofRequestMaxAge());
    ReserveSnapshot snapshot = sequence == null ? latestSnapshot() : snapshot(sequence);
    long seq = snapshot.statement().sequence();
    ReserveAccount account =
        repository
            .account(snapshot.id(), eth)
            .orElseThrow(
                () -> {
                  if (repository.leafNodes(snapshot.id()).isEmpty()) {
                    return pruned(seq);
                  }
                  return new ApiException(
                      HttpStatus.NOT_FOUND,
                      "no_leaf",
                      eth + " had no bound Bitcoin address in snapshot " + seq);
                });
    List<ProofStep> path = tree(snapshot).proof(account.index());
    return new ProofView(
        AttestationView.of(snapshot),
        LeafView.of(account),
        path.stream().map(StepView::of).toList());
  }

  @GetMapping("/api/operator/reserves/{sequence}/accounts.jsonl")
  ResponseEntity<StreamingResponseBody> accounts(@PathVariable long sequence) {
    ReserveSnapshot snapshot = snapshot(sequence);
    List<ReserveAccount> accounts = repository.accounts(snapshot.id());
    if (accounts.isEmpty()) {
      throw pruned(sequence);
    }
    StreamingResponseBody body =
        (OutputStream out) -> {
          for (ReserveAccount account : accounts) {
            out.write(json.writeValueAsBytes(LeafView.of(account)));
            out.write('\n');
          }
        };
    return ResponseEntity.ok()
        .contentType(JSONL)
        .header(
            "Content-Disposition",
            "attachment; filename=\"reserves-" + sequence + "-accounts.jsonl\"")
        .body(body);
  }

  private ReserveSnapshot latestSnapshot() {
    return repository
        .latest()
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND,
                    "no_snapshot",
                    "no proof-of-reserves snapshot has been taken yet"));
  }

  private ReserveSnapshot snapshot(long sequence) {
    return repository
        .bySequence(sequence)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND, "no_snapshot", "there is no snapshot " + sequence));
  }

  private SumTree tree(ReserveSnapshot snapshot) {
    CachedTree current = cached;
    if (current != null && current.snapshotId() == snapshot.id()) {
      return current.tree();
    }
    List<SumNode> leaves = repository.leafNodes(snapshot.id());
    if (leaves.isEmpty()) {
      throw pruned(snapshot.statement().sequence());
    }
    SumTree tree = new SumTree(leaves);
    if (!tree.root().equals(snapshot.statement().root())) {
      throw new IllegalStateException(
          "the stored leaves of snapshot " + snapshot.id() + " do not fold to its signed root");
    }
    cached = new CachedTree(snapshot.id(), tree);
    return tree;
  }

  private static ApiException pruned(long sequence) {
    return new ApiException(
        HttpStatus.GONE,
        "leaves_pruned",
        "the leaves of snapshot "
            + sequence
            + " were pruned by retention; its signed statement is still listed");
  }

  private record CachedTree(long snapshotId, SumTree tree) {}

  /**
   * One attestation: the signed statement, its signature, and its figures for display (all of them
   * are in the statement). Sats as numbers, the token supply and the difference as decimal strings.
   */
  record AttestationView(
      long sequence,
      String encoding,
      String statement,
      String statementHash,
      String signature,
      String signer,
      String previousHash,
      String merkleRoot,
      int leafCount,
      long totalConfirmedSats,
      String btcNetwork,
      long btcHeight,
      String btcBlockHash,
      int minConfirmations,
      long evmChainId,
      String synthAddress,
      String synthTotalSupply,
      long synthBlockNumber,
      String differenceSats,
      String backingRatio,
      String backing,
      String createdAt) {

    static AttestationView of(ReserveSnapshot snapshot) {
      Statement s = snapshot.statement();
      return new AttestationView(
          s.sequence(),
          Statement.ENCODING,
          s.text(),
          snapshot.statementHash(),
          snapshot.signature(),
          snapshot.signer(),
          s.previousHash(),
          s.merkleRoot(),
          s.leafCount(),
          s.reservesSats(),
          s.btcNetwork(),
          s.btcHeight(),
          s.btcBlockHash(),
          s.confirmations(),
          s.evmChainId(),
          s.synthAddress(),
          s.synthTotalSupply().toString(),
          s.evmBlock(),
          s.differenceSats().toString(),
          s.backingPercent(),
          s.backing().name(),
          s.created().toString());
    }
  }

  /**
   * @param signer the address this service signs with now (attestations name their own signer)
   */
  record HistoryView(String signer, List<AttestationView> attestations) {}

  /** One line of the public export. */
  record ExportLine(int index, String leafHash, long sum) {}

  /** A leaf with its salt and addresses: the proof's, and a line of the operator export. */
  record LeafView(
      int index,
      String ethAddress,
      String salt,
      long sum,
      List<ReserveRepository.AddressJson> addresses,
      String leafHash) {

    static LeafView of(ReserveAccount a) {
      return new LeafView(
          a.index(),
          a.ethAddress(),
          a.salt(),
          a.sum(),
          a.addresses().stream().map(ReserveRepository.AddressJson::of).toList(),
          a.leafHash());
    }
  }

  /** A path step: the sibling's side (L or R), hash and sum. */
  record StepView(String side, String hash, long sum) {
    static StepView of(ProofStep step) {
      return new StepView(step.side().code(), step.sibling().hashHex(), step.sibling().sum());
    }
  }

  record ProofView(AttestationView attestation, LeafView leaf, List<StepView> path) {}
}
