package io.netron.autoconfigure;

import io.netron.annotation.EnableNetronClients;
import io.netron.autoconfigure.clients.CalcClient;
import io.netron.autoconfigure.scanned.ScannedServices;
import io.netron.core.NetronProxy;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processing an application ahead of time (as a native image build does) records what Netron
 * does reflectively: client proxies, service methods and properties, and the sub-services both
 * hand out.
 */
class NetronAotTests {

	@Configuration(proxyBeanMethods = false)
	@EnableNetronClients(clients = CalcClient.class)
	static class AotApplication {

	}

	private static RuntimeHints processAheadOfTime() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(AotApplication.class);
		context.registerBean(ScannedServices.Shelf.class);
		TestGenerationContext generationContext = new TestGenerationContext();
		new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		generationContext.writeGeneratedContent();
		return generationContext.getRuntimeHints();
	}

	@Test
	void clientInterfacesAndTheirSubServicesGetJdkProxies() {
		RuntimeHints hints = processAheadOfTime();
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(CalcClient.class, NetronProxy.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(CalcClient.CounterClient.class, NetronProxy.class))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(CalcClient.class, "addAsync")).accepts(hints);
	}

	@Test
	void servicesAndTheSubServicesTheyReturnAreReflective() {
		RuntimeHints hints = processAheadOfTime();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ScannedServices.Shelf.class, "book"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ScannedServices.Book.class, "title"))
			.accepts(hints);
	}

}
