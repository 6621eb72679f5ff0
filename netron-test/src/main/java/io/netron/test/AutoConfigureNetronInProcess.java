package io.netron.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * On a Spring Boot test: the application's Netron node connects through an
 * {@link InProcessTransport} and serves itself in process under the name {@code application}
 * (or {@code netron.test.in-process-name}), so that {@code @NetronClient} beans whose peer URL is
 * {@code inproc://application/netron} call the application's own {@code @NetronService} beans (or
 * test doubles declared as such) without a socket, through the same codec; other URLs still go
 * over the JDK WebSocket client. No web server is needed ({@code webEnvironment = NONE}).
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = WebEnvironment.NONE,
 *     properties = "netron.peers.calc.url=inproc://application/netron")
 * @AutoConfigureNetronInProcess
 * class CalculatorClientTests {
 *
 *   @Autowired CalculatorClient calculator;     // @NetronClient(value = "calculator@^1.0.0", peer = "calc")
 *
 *   @Test
 *   void adds() {
 *     assertThat(calculator.add(1, 2)).isEqualTo(3);
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(NetronInProcessConfiguration.class)
public @interface AutoConfigureNetronInProcess {

}
