package com.reservebtc.oracle.ownership;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bitcoinj.base.Sha256Hash;

/**
 * The two virtual transactions of BIP-322 and the signature hashes a "simple" signature signs.
 *
 * <p>{@code to_spend}: version 0, one input spending {@code 000…000:0xFFFFFFFF} with script {@code
 * OP_0 PUSH32[message_hash]} and sequence 0, one output of value 0 paying the address's script
 * ({@code message_challenge}), lock time 0. {@code to_sign}: version 0, one input spending {@code
 * to_spend:0} with sequence 0 and the signature as witness, one output of value 0 paying {@code
 * OP_RETURN}, lock time 0. Both are built byte by byte here so nothing depends on a library's view
 * of version-0 transactions.
 *
 * <p>Hashes are returned in internal byte order (as they appear inside transactions); txids are
 * displayed reversed, as Bitcoin does.
 */
final class Bip322Transactions {

  static final String MESSAGE_TAG = "BIP0322-signed-message";

  private static final byte[] ZERO_4 = new byte[4];
  private static final byte[] ZERO_8 = new byte[8];
  private static final byte[] OP_RETURN_OUTPUT = concat(ZERO_8, new byte[] {0x01, 0x6a});
  private static final byte SIGHASH_ALL = 0x01;

  private Bip322Transactions() {}

  /** {@code sha256_tag("BIP0322-signed-message", message)} over the UTF-8 bytes, no length. */
  static byte[] messageHash(String message) {
    return taggedHash(MESSAGE_TAG, message.getBytes(StandardCharsets.UTF_8));
  }

  /** The txid of {@code to_spend}, internal byte order. */
  static byte[] toSpendTxid(byte[] messageChallenge, byte[] messageHash) {
    ByteArrayOutputStream tx = new ByteArrayOutputStream();
    tx.writeBytes(ZERO_4); // nVersion 0
    tx.write(1); // one input
    tx.writeBytes(new byte[32]); // prevout hash 000…000
    tx.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // prevout n
    tx.write(34); // scriptSig length: OP_0 PUSH32 <32 bytes>
    tx.write(0x00);
    tx.write(0x20);
    tx.writeBytes(messageHash);
    tx.writeBytes(ZERO_4); // nSequence 0
    tx.write(1); // one output
    tx.writeBytes(ZERO_8); // nValue 0
    writeScript(tx, messageChallenge);
    tx.writeBytes(ZERO_4); // nLockTime 0
    return Sha256Hash.hashTwice(tx.toByteArray());
  }

  /** The txid of the unsigned {@code to_sign} (witness data is not part of a txid). */
  static byte[] toSignTxid(byte[] toSpendTxid) {
    ByteArrayOutputStream tx = new ByteArrayOutputStream();
    tx.writeBytes(ZERO_4); // nVersion 0
    tx.write(1);
    tx.writeBytes(toSpendTxid);
    tx.writeBytes(ZERO_4); // prevout n 0
    tx.write(0); // empty scriptSig
    tx.writeBytes(ZERO_4); // nSequence 0
    tx.write(1);
    tx.writeBytes(OP_RETURN_OUTPUT);
    tx.writeBytes(ZERO_4); // nLockTime 0
    return Sha256Hash.hashTwice(tx.toByteArray());
  }

  /**
   * BIP-143 SIGHASH_ALL digest of {@code to_sign} input 0 spending a P2WPKH output of {@code
   * to_spend} with key hash {@code keyHash}.
   */
  static byte[] p2wpkhSighash(byte[] toSpendTxid, byte[] keyHash) {
    byte[] outpoint = concat(toSpendTxid, ZERO_4);
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes(ZERO_4); // nVersion 0
    preimage.writeBytes(Sha256Hash.hashTwice(outpoint)); // hashPrevouts
    preimage.writeBytes(Sha256Hash.hashTwice(ZERO_4)); // hashSequence
    preimage.writeBytes(outpoint);
    // scriptCode of P2WPKH: OP_DUP OP_HASH160 PUSH20 <keyHash> OP_EQUALVERIFY OP_CHECKSIG.
    preimage.write(0x19);
    preimage.writeBytes(new byte[] {0x76, (byte) 0xa9, 0x14});
    preimage.writeBytes(keyHash);
    preimage.writeBytes(new byte[] {(byte) 0x88, (byte) 0xac});
    preimage.writeBytes(ZERO_8); // amount of the spent output: 0
    preimage.writeBytes(ZERO_4); // nSequence 0
    preimage.writeBytes(Sha256Hash.hashTwice(OP_RETURN_OUTPUT)); // hashOutputs
    preimage.writeBytes(ZERO_4); // nLockTime 0
    preimage.writeBytes(new byte[] {SIGHASH_ALL, 0, 0, 0});
    return Sha256Hash.hashTwice(preimage.toByteArray());
  }

  /**
   * BIP-341 key-path digest of {@code to_sign} input 0 spending the P2TR output {@code
   * messageChallenge} of {@code to_spend}, for hash type 0x00 (default) or 0x01 (ALL), no annex.
   */
  static byte[] taprootKeySpendSighash(byte[] toSpendTxid, byte[] messageChallenge, int hashType) {
    if (hashType != 0x00 && hashType != 0x01) {
      throw new IllegalArgumentException("only SIGHASH_DEFAULT and SIGHASH_ALL are supported");
    }
    ByteArrayOutputStream script = new ByteArrayOutputStream();
    writeScript(script, messageChallenge);
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    msg.write(0x00); // sighash epoch
    msg.write(hashType);
    msg.writeBytes(ZERO_4); // nVersion 0
    msg.writeBytes(ZERO_4); // nLockTime 0
    msg.writeBytes(Sha256Hash.hash(concat(toSpendTxid, ZERO_4))); // sha_prevouts
    msg.writeBytes(Sha256Hash.hash(ZERO_8)); // sha_amounts
    msg.writeBytes(Sha256Hash.hash(script.toByteArray())); // sha_scriptpubkeys
    msg.writeBytes(Sha256Hash.hash(ZERO_4)); // sha_sequences
    msg.writeBytes(Sha256Hash.hash(OP_RETURN_OUTPUT)); // sha_outputs
    msg.write(0x00); // spend_type: key path, no annex
    msg.writeBytes(ZERO_4); // input index 0
    return taggedHash("TapSighash", msg.toByteArray());
  }

  /** BIP-340 tagged hash: {@code SHA256(SHA256(tag) || SHA256(tag) || data)}. */
  static byte[] taggedHash(String tag, byte[] data) {
    byte[] tagHash = Sha256Hash.hash(tag.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.length);
    out.writeBytes(tagHash);
    out.writeBytes(tagHash);
    out.writeBytes(data);
    return Sha256Hash.hash(out.toByteArray());
  }

  private static void writeScript(ByteArrayOutputStream out, byte[] script) {
    if (script.length >= 0xfd) {
      throw new IllegalArgumentException("output scripts of single-key addresses are short");
    }
    out.write(script.length);
    out.writeBytes(script);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
