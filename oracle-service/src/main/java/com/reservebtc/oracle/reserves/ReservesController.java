package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.web.ApiException;
import com.reservebtc.schemas.Keys;
import java.io.OutputStream;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proof-of-reserves reads: {@code GET /api/reserves/latest}, {@code GET /api/reserves/{id}}, {@code
 * GET /api/reserves/{id}/export.jsonl} (one leaf per line) and {@code GET
 * /api/reserves/{id}/proof?address=0x…} (the address's leaves with their sibling paths). 404 for an
 * unknown snapshot or an address without a leaf, 410 when the snapshot's leaves were pruned.
 */
@RestController
@RequestMapping("/api/reserves")
class ReservesController {

  static final MediaType JSONL = MediaType.parseMediaType("application/x-ndjson");

  private final ReserveRepository repository;
  private final JsonMapper json;

  /** The tree of the snapshot asked for last; proofs for the latest snapshot reuse it. */
  private volatile CachedTree cached;

  ReservesController(ReserveRepository repository, JsonMapper json) {
    this.repository = repository;
    this.json = json;
  }

  @GetMapping("/latest")
  SnapshotView latest() {
    return repository
        .latest()
        .map(SnapshotView::of)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND,
                    "no_snapshot",
                    "no proof-of-reserves snapshot has been taken yet"));
  }

  @GetMapping("/{id}")
  SnapshotView byId(@PathVariable long id) {
    return SnapshotView.of(snapshot(id));
  }

  @GetMapping("/{id}/export.jsonl")
  ResponseEntity<StreamingResponseBody> export(@PathVariable long id) {
    snapshot(id);
    List<ReserveLeaf> leaves = leaves(id);
    StreamingResponseBody body =
        (OutputStream out) -> {
          for (ReserveLeaf leaf : leaves) {
            out.write(json.writeValueAsBytes(LeafView.of(leaf)));
            out.write('\n');
          }
        };
    return ResponseEntity.ok()
        .contentType(JSONL)
        .header("Content-Disposition", "attachment; filename=\"reserves-" + id + ".jsonl\"")
        .body(body);
  }

  @GetMapping("/{id}/proof")
  ProofView proof(@PathVariable long id, @RequestParam String address) {
    String eth = Keys.user(address);
    ReserveSnapshot snapshot = snapshot(id);
    List<ReserveLeaf> mine = repository.leavesOf(id, eth);
    if (mine.isEmpty()) {
      leaves(id); // 410 if the snapshot's leaves were pruned
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "no_leaf",
          eth + " has no bound address in snapshot " + id + "; it holds no reserves there");
    }
    MerkleTree tree = tree(id);
    List<LeafProof> proofs =
        mine.stream()
            .map(leaf -> new LeafProof(LeafView.of(leaf), tree.proof(leaf.index())))
            .toList();
    return new ProofView(
        id,
        ReserveProofVerifier.ENCODING,
        snapshot.merkleRoot(),
        snapshot.btcHeight(),
        snapshot.btcTipHash(),
        snapshot.leafCount(),
        proofs);
  }

  private ReserveSnapshot snapshot(long id) {
    return repository
        .byId(id)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND, "no_snapshot", "there is no snapshot " + id));
  }

  private List<ReserveLeaf> leaves(long id) {
    List<ReserveLeaf> leaves = repository.leaves(id);
    if (leaves.isEmpty()) {
      throw pruned(id);
    }
    return leaves;
  }

  private MerkleTree tree(long id) {
    CachedTree current = cached;
    if (current != null && current.snapshotId() == id) {
      return current.tree();
    }
    List<byte[]> hashes = repository.leafHashes(id);
    if (hashes.isEmpty()) {
      throw pruned(id);
    }
    MerkleTree tree = new MerkleTree(hashes);
    cached = new CachedTree(id, tree);
    return tree;
  }

  private static ApiException pruned(long id) {
    return new ApiException(
        HttpStatus.GONE,
        "leaves_pruned",
        "the leaves of snapshot " + id + " were pruned by retention; its root is still listed");
  }

  private record CachedTree(long snapshotId, MerkleTree tree) {}

  /** Amounts: sats as numbers, the token supply (uint256) as a decimal string. */
  record SnapshotView(
      long id,
      String encoding,
      long btcHeight,
      String btcTipHash,
      String merkleRoot,
      int leafCount,
      long totalConfirmedSats,
      String synthTotalSupply,
      long synthBlockNumber,
      String backingRatio,
      int minConfirmations,
      String createdAt) {

    static SnapshotView of(ReserveSnapshot s) {
      return new SnapshotView(
          s.id(),
          ReserveProofVerifier.ENCODING,
          s.btcHeight(),
          s.btcTipHash(),
          s.merkleRoot(),
          s.leafCount(),
          s.totalConfirmedSats(),
          s.synthTotalSupply().toString(),
          s.synthBlockNumber(),
          s.backingRatio(),
          s.minConfirmations(),
          s.createdAt().toString());
    }
  }

  /** One line of the JSONL export, and the leaf of a proof. */
  record LeafView(
      int index,
      String ethAddress,
      String btcAddress,
      String scriptPubKey,
      long confirmedSats,
      long btcHeight,
      String leafHash) {

    static LeafView of(ReserveLeaf l) {
      return new LeafView(
          l.index(),
          l.ethAddress(),
          l.btcAddress(),
          l.scriptPubKey(),
          l.confirmedSats(),
          l.btcHeight(),
          l.leafHash());
    }
  }

  /**
   * @param path sibling hashes from the leaf up: {@code L:<hex>} (sibling on the left) or {@code
   *     R:<hex>}
   */
  record LeafProof(LeafView leaf, List<String> path) {}

  record ProofView(
      long snapshotId,
      String encoding,
      String merkleRoot,
      long btcHeight,
      String btcTipHash,
      int leafCount,
      List<LeafProof> proofs) {}
}
