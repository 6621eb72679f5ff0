package io.netron.core;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsMap;
import io.netron.protocol.ServiceMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ServiceDescriptorTests {

	@NetronService("shop.cart@1.2.3")
	static class Cart {

		@Public(readonly = true)
		public String version = "1.2.3";

		@Public
		public int items;

		@Public
		public final String owner = "me";

		public int hidden;

		@Public
		public String describe() {
			return "";
		}

		@Public
		public double total(double tax, List<String> codes) {
			return 0;
		}

		@Public
		public void clear() {
		}

		@Public
		public CompletableFuture<String> checkout() {
			return CompletableFuture.completedFuture("");
		}

		@Public
		public JsMap asMap() {
			return new JsMap();
		}

		@Public
		public Set<Integer> ids() {
			return Set.of();
		}

		@Public
		public Cart copy() {
			return this;
		}

		public void notPublic() {
		}

	}

	@Test
	void metadataListsPublicMembersInDeclarationOrderWithTypeScriptTypeNames() {
		ServiceMetadata meta = ServiceDescriptor.forClass(Cart.class).metadata();
		assertThat(meta.name()).isEqualTo("shop.cart");
		assertThat(meta.version()).isEqualTo("1.2.3");
		assertThat(meta.qualifiedName()).isEqualTo("shop.cart@1.2.3");
		assertThat(meta.properties().keySet()).containsExactly("version", "items", "owner");
		assertThat(meta.properties().get("version")).isEqualTo(new ServiceMetadata.PropertyInfo("String", true));
		assertThat(meta.properties().get("items")).isEqualTo(new ServiceMetadata.PropertyInfo("Number", false));
		assertThat(meta.properties().get("owner").readonly()).as("final fields are readonly").isTrue();
		assertThat(meta.methods().keySet()).containsExactly("describe", "total", "clear", "checkout", "asMap", "ids", "copy");
		assertThat(meta.methods().get("total")).isEqualTo(new ServiceMetadata.MethodInfo("Number", List.of("Number", "Array")));
		assertThat(meta.methods().get("clear").type()).isEqualTo("void");
		assertThat(meta.methods().get("checkout").type()).isEqualTo("Promise");
		assertThat(meta.methods().get("asMap").type()).isEqualTo("Map");
		assertThat(meta.methods().get("ids").type()).isEqualTo("Set");
		assertThat(meta.methods().get("copy").type()).isEqualTo("Cart");
	}

	@NetronService("over@1.0.0")
	static class Overloaded {

		@Public
		public int add(int a, int b) {
			return a + b;
		}

		@Public
		public double add(double a, double b) {
			return a + b;
		}

	}

	@Test
	void overloadedPublicMethodsAreRefused() {
		assertThatExceptionOfType(InvalidServiceException.class)
			.isThrownBy(() -> ServiceDescriptor.forClass(Overloaded.class))
			.withMessage("Overloaded @Public methods are not supported: " + Overloaded.class.getName()
					+ " has more than one @Public method named 'add' (the protocol calls methods by name); rename one of them");
	}

	@NetronService("base@1.0.0")
	static class Base {

		@Public
		public String hello() {
			return "base";
		}

	}

	@NetronService("derived@1.0.0")
	static class Derived extends Base {

		@Override
		@Public
		public String hello() {
			return "derived";
		}

	}

	@Test
	void overridesAreOneMethod() {
		assertThat(ServiceDescriptor.forClass(Derived.class).metadata().methods()).containsOnlyKeys("hello");
	}

	@NetronService("bad name@1.0.0")
	static class BadName {

	}

	@NetronService("good@1.0")
	static class BadVersion {

	}

	@NetronService("a.b.c")
	static class NoVersion {

	}

	@NetronService("a..b@1.0.0")
	static class EmptyPart {

	}

	@Test
	void namesAndVersionsAreValidatedWithTheSeedMessages() {
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(BadName.class))
			.withMessage("Invalid service name \"bad name\". Only latin letters and dots are allowed.");
		assertThatExceptionOfType(InvalidServiceException.class)
			.isThrownBy(() -> ServiceDescriptor.forClass(BadVersion.class))
			.withMessage("Invalid version \"1.0\". Version must follow semver.");
		assertThatExceptionOfType(InvalidServiceException.class)
			.isThrownBy(() -> ServiceDescriptor.forClass(EmptyPart.class))
			.withMessage("Invalid service name \"a..b\". Only latin letters and dots are allowed.");
		ServiceMetadata meta = ServiceDescriptor.forClass(NoVersion.class).metadata();
		assertThat(meta.version()).isEmpty();
		assertThat(meta.qualifiedName()).isEqualTo("a.b.c");
	}

	@Test
	void classWithoutAnnotationIsNotAService() {
		assertThat(ServiceDescriptor.isService(String.class)).isFalse();
		assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> ServiceDescriptor.forClass(String.class))
			.withMessage("Invalid service: java.lang.String is not annotated with @NetronService");
	}

	@Test
	void exposingTwiceIsRefusedWithTheSeedMessages() throws Exception {
		try (Netron netron = new Netron(NetronOptions.defaults(), (uri, timeout, listener) -> new CompletableFuture<>())) {
			Base first = new Base();
			netron.exposeService(first);
			assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> netron.exposeService(first))
				.withMessage("Service instance already exposed: base");
			assertThatExceptionOfType(InvalidServiceException.class).isThrownBy(() -> netron.exposeService(new Base()))
				.withMessage("Service already exposed: base@1.0.0");
			assertThat(netron.localPeer().services()).containsOnlyKeys("base@1.0.0");
			netron.unexposeService("base@1.0.0");
			assertThatExceptionOfType(UnknownServiceException.class)
				.isThrownBy(() -> netron.unexposeService("base@1.0.0"))
				.withMessage("Unknown service: base@1.0.0.");
			assertThat(netron.localPeer().services()).isEqualTo(Map.of());
		}
	}

}
