package io.netron.core;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.autoconfigure.NetronCodecCustomizer;
import io.netron.protocol.PacketCodec;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec's Jackson 2 mapper customized the Spring way (a {@link NetronCodecCustomizer} bean)
 * and the plain-Java way ({@link PacketCodec#withMapper}): a module's serializer writes a value
 * that has no properties of its own, its deserializer reads it back, on both nodes, over a real
 * connection.
 */
class CodecCustomizerTests {

	private final TestNodes nodes = new TestNodes();

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	@Test
	void aModuleRegisteredThroughACustomizerWritesAndReadsItsTypeOnBothNodes() throws Exception {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Till.class, MoneyModule.class });
		PacketCodec codec = PacketCodec.withMapper((mapper) -> mapper.registerModule(MoneyModule.module()));
		try (Netron client = new Netron(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(5)),
				new JdkWebSocketConnector(1 << 20, 1 << 20), codec)) {
			RemotePeer peer = client.connect(TestNodes.url(server)).join();
			Object sum = peer.queryInterface("till@1.0.0").call("add", new Money("12.50", "EUR"), new Money("0.75", "EUR")).join();
			// on the wire as the serializer writes it, read back by the client's deserializer
			assertThat(sum).isEqualTo("13.25 EUR");
			assertThat(codec.values().converter().convert(sum, Money.class)).isEqualTo(new Money("13.25", "EUR"));
		}
	}

	@Test
	void withoutTheModuleAValueWithoutPropertiesIsRefusedNamingItsClass() throws Exception {
		ConfigurableApplicationContext server = this.nodes.server(new Class<?>[] { Till.class, MoneyModule.class });
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(server)).join();
		assertThat(peer.queryInterface("till@1.0.0").call("add", new Money("1", "EUR"), new Money("2", "EUR")))
			.failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.withMessageContaining("Not supported: " + Money.class.getName() + " (no readable properties)");
	}

	/** An amount of money: no getters, so without its serializer the codec cannot write it. */
	static final class Money {

		private final BigDecimal amount;

		private final String currency;

		Money(String amount, String currency) {
			this.amount = new BigDecimal(amount);
			this.currency = currency;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Money money && money.amount.compareTo(this.amount) == 0
					&& money.currency.equals(this.currency);
		}

		@Override
		public int hashCode() {
			return this.currency.hashCode();
		}

		@Override
		public String toString() {
			return this.amount.toPlainString() + " " + this.currency;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MoneyModule {

		static SimpleModule module() {
			SimpleModule module = new SimpleModule("money");
			module.addSerializer(Money.class, new JsonSerializer<>() {
				@Override
				public void serialize(Money value, JsonGenerator out, SerializerProvider provider) throws IOException {
					out.writeString(value.toString());
				}
			});
			module.addDeserializer(Money.class, new JsonDeserializer<>() {
				@Override
				public Money deserialize(JsonParser in, DeserializationContext context) throws IOException {
					String[] parts = in.getValueAsString().split(" ");
					return new Money(parts[0], parts[1]);
				}
			});
			return module;
		}

		@Bean
		NetronCodecCustomizer moneyCodecCustomizer() {
			return (mapper) -> mapper.registerModule(module());
		}

	}

	@NetronService("till@1.0.0")
	public static class Till {

		@Public
		public Money add(Money a, Money b) {
			return new Money(a.amount.add(b.amount).toPlainString(), a.currency);
		}

	}

}
