package dev.synap.spring.boot;

import dev.synap.integration.SynapMemory;
import dev.synap.sdk.ListenCallbacks;
import dev.synap.sdk.Synap;
import dev.synap.sdk.SynapException;
import dev.synap.springai.SynapChatMemoryRepository;
import dev.synap.springai.SynapDocumentRetriever;
import dev.synap.springai.SynapMemoryAdvisor;
import dev.synap.springai.SynapSpringAi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link Synap} client from {@code synap.*} (closed with the context; its Listen stream opened
 * at start unless {@code synap.listen=false}), the Spring AI memory of {@code synap-spring-ai} for
 * the default owner ({@code synap.user-id}, {@code synap.customer-id}), and with Actuator the
 * {@code synap} health indicator and the client's meters. Each bean steps aside for one the
 * application defines. Runs before Spring AI's chat-memory auto-configuration, so its
 * {@code ChatMemoryRepository} is the platform's.
 */
@AutoConfiguration(beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass(Synap.class)
@EnableConfigurationProperties(SynapProperties.class)
public class SynapAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(SynapAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  SynapClientMetrics synapClientMetrics(Synap synap) {
    return new SynapClientMetrics(synap);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Synap synap(SynapProperties p, ObjectProvider<SynapClientMetrics> metrics) {
    if (blank(p.getApiKey()) && blank(System.getenv("SYNAP_API_KEY"))) {
      throw new IllegalStateException("Synap needs an API key: set synap.api-key (or the SYNAP_API_KEY environment variable)");
    }
    Synap.Builder b = Synap.builder().requestTimeout(p.getRequestTimeout());
    if (!blank(p.getApiKey())) b.apiKey(p.getApiKey());
    if (!blank(p.getBaseUrl())) b.baseUrl(p.getBaseUrl());
    if (!blank(p.getGrpc().getHost())) b.grpcHost(p.getGrpc().getHost());
    if (p.getGrpc().getPort() != null) b.grpcPort(p.getGrpc().getPort());
    if (p.getGrpc().getUseTls() != null) b.grpcUseTls(p.getGrpc().getUseTls());
    Synap synap = b.build();
    if (p.isListen()) {
      try {
        synap.instance().listen(new ListenCallbacks(bundle -> {}, reason -> LOG.warn("synap: Listen stream lost: {}", reason),
            attempt -> metrics.ifAvailable(SynapClientMetrics::reconnected)));
      } catch (SynapException e) {
        // Memory is optional to an agent: start without the stream (the health indicator says so).
        LOG.warn("synap: cannot open the Listen stream, starting without anticipation: {}", e.toString());
      }
    }
    return synap;
  }

  @Bean
  @ConditionalOnMissingBean
  SynapSpringAi synapSpringAi(Synap synap, SynapProperties p, ObjectProvider<MeterRegistry> meters) {
    return SynapSpringAi.builder(synap).userId(p.getUserId()).customerId(p.getCustomerId()).tokenBudget(p.getTokenBudget()).pushWait(p.getPushWait())
        .meterRegistry(meters.getIfAvailable(() -> Metrics.globalRegistry)).build();
  }

  @Bean
  @ConditionalOnMissingBean(ChatMemoryRepository.class)
  SynapChatMemoryRepository synapChatMemoryRepository(SynapSpringAi ai) {
    return ai.chatMemoryRepository();
  }

  @Bean
  @ConditionalOnMissingBean
  SynapMemoryAdvisor synapMemoryAdvisor(SynapSpringAi ai) {
    return ai.advisor();
  }

  @Bean
  @ConditionalOnMissingBean
  SynapDocumentRetriever synapDocumentRetriever(SynapSpringAi ai) {
    return ai.documentRetriever();
  }

  /** Only with Actuator's health module on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "synapHealthIndicator")
    SynapHealthIndicator synapHealthIndicator(SynapSpringAi ai, SynapProperties p) {
      SynapMemory memory = ai.memory();
      return new SynapHealthIndicator(memory, p.isListen());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
