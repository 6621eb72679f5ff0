package io.netron.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding the packets of one {@code echo("hello")} call, and of a 1 KB object.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {

	private static final String DEF_ID = "3f1c2b9e-8d4a-4e6b-9c7d-1a2b3c4d5e6f";

	private final PacketCodec codec = new PacketCodec();

	private Packet callRequest;

	private Packet callResponse;

	private Packet objectResponse;

	private byte[] callRequestBytes;

	private byte[] callResponseBytes;

	private byte[] objectResponseBytes;

	@Setup
	public void setUp() {
		this.callRequest = Packet.request(12345, PacketType.CALL, List.of(DEF_ID, "echo", "hello"));
		this.callResponse = Packet.response(12345, PacketType.CALL, "hello");
		this.objectResponse = Packet.response(12345, PacketType.CALL, kilobyteObject());
		this.callRequestBytes = this.codec.encode(this.callRequest);
		this.callResponseBytes = this.codec.encode(this.callResponse);
		this.objectResponseBytes = this.codec.encode(this.objectResponse);
		if (this.objectResponseBytes.length < 1000 || this.objectResponseBytes.length > 1100) {
			throw new IllegalStateException("object packet is " + this.objectResponseBytes.length + " bytes, not ~1 KB");
		}
	}

	/** An object of about 1 KB: 20 records with a string, an int, a float, a flag and tags. */
	static Map<String, Object> kilobyteObject() {
		List<Object> items = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("id", i * 1000);
			item.put("name", "item-" + i);
			item.put("price", i + 0.25);
			item.put("active", (i % 2) == 0);
			item.put("tags", List.of("a", "b"));
			items.add(item);
		}
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("total", 20);
		object.put("items", items);
		return object;
	}

	@Benchmark
	public byte[] encodeCallRequest() {
		return this.codec.encode(this.callRequest);
	}

	@Benchmark
	public Packet decodeCallRequest() {
		return this.codec.decode(this.callRequestBytes);
	}

	@Benchmark
	public byte[] encodeCallResponse() {
		return this.codec.encode(this.callResponse);
	}

	@Benchmark
	public Packet decodeCallResponse() {
		return this.codec.decode(this.callResponseBytes);
	}

	@Benchmark
	public byte[] encodeKilobyteObject() {
		return this.codec.encode(this.objectResponse);
	}

	@Benchmark
	public Packet decodeKilobyteObject() {
		return this.codec.decode(this.objectResponseBytes);
	}

}
