/**
 * Spring Boot auto-configuration: a {@code Synap} client bean from {@code synap.*} properties (with
 * its Listen stream, closed with the context), the Spring AI memory beans of
 * {@code synap-spring-ai}, and, with Actuator, a health indicator and Micrometer metrics.
 */
package dev.synap.spring.boot;
