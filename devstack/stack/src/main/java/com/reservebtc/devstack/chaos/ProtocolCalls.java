package com.reservebtc.devstack.chaos;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * The protocol's state by {@code eth_call} at a given block tag: what the read models' balances and
 * participants must equal. A failed call throws; it is never read as zero.
 */
final class ProtocolCalls {

  /** A YieldScalesPool participant as the contract stores it. */
  record PoolParticipant(boolean active, int type, BigInteger amount) {}

  private final JsonRpc rpc;
  private final ProtocolDeployment deployment;

  ProtocolCalls(JsonRpc rpc, ProtocolDeployment deployment) {
    this.rpc = rpc;
    this.deployment = deployment;
  }

  long lastSats(String user, String tag) {
    return uint(deployment.oracleAggregator(), "lastSats", user, tag).longValueExact();
  }

  BigInteger synthBalance(String user, String tag) {
    return uint(deployment.synth(), "balanceOf", user, tag);
  }

  BigInteger synthTotalSupply(String tag) {
    return uint(deployment.synth(), "totalSupply", null, tag);
  }

  BigInteger wrbtcBalance(String user, String tag) {
    return uint(deployment.wrbtc(), "balanceOf", user, tag);
  }

  BigInteger wrbtcLocked(String user, String tag) {
    return uint(deployment.wrbtc(), "lockedOf", user, tag);
  }

  BigInteger feeVaultBalance(String user, String tag) {
    return uint(deployment.feeVault(), "balanceOf", user, tag);
  }

  BigInteger pendingYield(String user, String tag) {
    return uint(deployment.yieldPool(), "pendingYield", user, tag);
  }

  BigInteger peakSupply(String tag) {
    return uint(deployment.yieldPool(), "peakSupply", null, tag);
  }

  PoolParticipant participant(String user, String tag) {
    Function f =
        new Function(
            "participants",
            List.of(new Address(user)),
            List.of(
                new TypeReference<Bool>() {},
                new TypeReference<Uint8>() {},
                new TypeReference<Uint256>() {},
                new TypeReference<Uint64>() {},
                new TypeReference<Uint64>() {},
                new TypeReference<Uint256>() {},
                new TypeReference<Uint256>() {}));
    List<Type> out = call(deployment.yieldPool(), f, tag);
    return new PoolParticipant(
        (Boolean) out.get(0).getValue(),
        ((BigInteger) out.get(1).getValue()).intValueExact(),
        (BigInteger) out.get(2).getValue());
  }

  private BigInteger uint(String contract, String name, String user, String tag) {
    Function f =
        new Function(
            name,
            user == null ? List.of() : List.of(new Address(user)),
            List.of(new TypeReference<Uint256>() {}));
    return (BigInteger) call(contract, f, tag).get(0).getValue();
  }

  @SuppressWarnings("rawtypes")
  private List<Type> call(String contract, Function f, String tag) {
    String result =
        rpc.call("eth_call", Map.of("to", contract, "data", FunctionEncoder.encode(f)), tag)
            .asString();
    List<Type> out = FunctionReturnDecoder.decode(result, f.getOutputParameters());
    if (out.isEmpty()) {
      throw new ChaosException(f.getName() + " on " + contract + " returned nothing: " + result);
    }
    return out;
  }
}
