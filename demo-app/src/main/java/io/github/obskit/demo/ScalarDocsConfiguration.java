package io.github.obskit.demo;

import com.scalar.maven.webmvc.ScalarWebMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Serves the Scalar API reference at {@code scalar.path}.
 *
 * <p>springdoc 3.x ships an auto-configuration import filter that silently drops Scalar's own
 * auto-configuration in favour of springdoc's Scalar module, so it is imported here explicitly. The
 * import must not sit on the {@code @SpringBootApplication} class: Spring applies the
 * auto-configuration selector's exclusion filter to the other imports of the class declaring it,
 * which would register the configuration without any of its beans.
 */
@Configuration(proxyBeanMethods = false)
@Import(ScalarWebMvcAutoConfiguration.class)
class ScalarDocsConfiguration {}
