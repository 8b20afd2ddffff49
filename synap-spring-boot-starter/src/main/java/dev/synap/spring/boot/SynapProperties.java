package dev.synap.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code synap.*}: unset connection values fall back to the SDK's {@code SYNAP_*} environment
 * variables, then to the local {@code ./synap serve} defaults.
 */
@ConfigurationProperties("synap")
public class SynapProperties {
  /** API key of the instance (else SYNAP_API_KEY). */
  private String apiKey;
  /** REST base URL, e.g. http://127.0.0.1:8080 (else SYNAP_BASE_URL). */
  private String baseUrl;
  /** Open the Listen stream at start, so the server pushes anticipated context into the client's cache. */
  private boolean listen = true;
  /** Default owner of memory calls (the advisor's synap_user_id parameter overrides it per call). */
  private String userId;
  /** The user's customer, for B2B instances. */
  private String customerId;
  /** Tokens of remembered context the advisor adds to a prompt at most. */
  private int tokenBudget = 1000;
  /** How long the advisor waits for the server's push after publishing the user's message. */
  private Duration pushWait = Duration.ofMillis(200);
  /** REST request timeout. */
  private Duration requestTimeout = Duration.ofSeconds(30);
  private final Grpc grpc = new Grpc();

  /** {@code synap.grpc.*}: the Listen stream's endpoint. */
  public static class Grpc {
    /** Host (else SYNAP_GRPC_HOST, else 127.0.0.1). */
    private String host;
    /** Port (else SYNAP_GRPC_PORT, else 50051). */
    private Integer port;
    /** TLS on the stream (else SYNAP_GRPC_USE_TLS). */
    private Boolean useTls;

    public String getHost() {
      return host;
    }

    public void setHost(String host) {
      this.host = host;
    }

    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      this.port = port;
    }

    public Boolean getUseTls() {
      return useTls;
    }

    public void setUseTls(Boolean useTls) {
      this.useTls = useTls;
    }
  }

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public boolean isListen() {
    return listen;
  }

  public void setListen(boolean listen) {
    this.listen = listen;
  }

  public String getUserId() {
    return userId;
  }

  public void setUserId(String userId) {
    this.userId = userId;
  }

  public String getCustomerId() {
    return customerId;
  }

  public void setCustomerId(String customerId) {
    this.customerId = customerId;
  }

  public int getTokenBudget() {
    return tokenBudget;
  }

  public void setTokenBudget(int tokenBudget) {
    this.tokenBudget = tokenBudget;
  }

  public Duration getPushWait() {
    return pushWait;
  }

  public void setPushWait(Duration pushWait) {
    this.pushWait = pushWait;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Grpc getGrpc() {
    return grpc;
  }
}
