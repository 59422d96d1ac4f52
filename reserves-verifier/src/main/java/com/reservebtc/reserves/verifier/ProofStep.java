package com.reservebtc.reserves.verifier;

/**
 * One step of an inclusion path: the sibling node and the side it is on. {@code LEFT}: parent =
 * H(sibling, current); {@code RIGHT}: parent = H(current, sibling).
 */
public record ProofStep(Side side, SumNode sibling) {

  public enum Side {
    LEFT("L"),
    RIGHT("R");

    private final String code;

    Side(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Side of(String code) {
      return switch (code) {
        case "L" -> LEFT;
        case "R" -> RIGHT;
        default -> throw new IllegalArgumentException("a path step's side is L or R, was " + code);
      };
    }
  }
}
