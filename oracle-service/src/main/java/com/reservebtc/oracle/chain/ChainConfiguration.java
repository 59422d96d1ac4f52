package com.reservebtc.oracle.chain;

import com.reservebtc.oracle.OracleProperties;
import com.reservebtc.txsender.RpcEndpoint;
import com.reservebtc.txsender.SenderListener;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import okhttp3.OkHttpClient;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The chain adapter's beans: one RPC client, the committee key, the aggregator and the one sender
 * of the committee key ({@link TransactionSender}: EIP-1559 fees under the {@code rbtc.tx} cap,
 * replacement of a stuck transaction at its nonce, receipts at depth).
 */
@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

  @Bean(destroyMethod = "shutdown")
  Web3j web3j(ChainProperties chain) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(chain.requestTimeout())
            .readTimeout(chain.requestTimeout())
            .writeTimeout(chain.requestTimeout())
            .build();
    return Web3j.build(new HttpService(chain.rpcUrl().toString(), http));
  }

  @Bean
  Credentials committeeCredentials(OracleProperties oracle) {
    return CommitteeCredentials.load(oracle);
  }

  @Bean
  AggregatorClient aggregatorClient(
      Web3j web3j, ChainProperties chain, ContractsProperties contracts, Credentials committee) {
    String aggregator = contracts.oracleAggregator();
    if (aggregator == null || !aggregator.trim().matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalStateException(
          "rbtc.contracts.oracle-aggregator (RBTC_CONTRACTS_ORACLE_AGGREGATOR) must be the"
              + " aggregator's 0x address, was '"
              + aggregator
              + "'");
    }
    return new AggregatorClient(
        web3j,
        chain.id(),
        aggregator.trim().toLowerCase(Locale.ROOT),
        committee.getAddress(),
        chain.readBatchSize());
  }

  /** {@code rbtc.tx.*}, each unset value left to the sender's default (application.yml). */
  @Bean
  TxSettings txSettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("rbtc.tx", TxSettings.class);
  }

  @Bean
  TransactionSender committeeSender(
      Web3j web3j,
      ChainProperties chain,
      Credentials committee,
      TxSettings tx,
      MeterRegistry meters,
      SenderListener alerts) {
    return new TransactionSender(
        web3j,
        RpcEndpoint.of(chain.rpcUrl().toString(), "rbtc.chain.rpc-url (RBTC_CHAIN_RPC_URL)"),
        committee,
        tx.forChain(chain.id()),
        meters,
        alerts);
  }
}
